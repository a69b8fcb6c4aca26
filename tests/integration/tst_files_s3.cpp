// A directory backup to a local storage and an S3 bucket (the s3 fixture) in one pass, encrypted; the local copy is
// then deleted so the restore must stream the object back from the bucket; a Redis-free, pg-free check that file
// backups use the same stores as database backups.
#include "TestEnv.h"

#include "pipeline/Sha256.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

class TstFilesS3 : public QObject {
    Q_OBJECT
private slots:
    void backupToBucketAndRestoreFromIt() {
        const auto s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!s3.isEmpty(), "the s3 fixture must be running");
        QTemporaryDir tmp;
        const QString home = tmp.filePath(QStringLiteral("home"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), s3.value(QStringLiteral("S3_ACCESS_KEY")));
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), s3.value(QStringLiteral("S3_SECRET_KEY")));
        auto ctl = [&](const QStringList &args) { return TestEnv::ctl(home, args, {}, env); };
        const QString prefix = QStringLiteral("files-%1").arg(QRandomGenerator::global()->bounded(1000000));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"),
                      QStringLiteral("--s3"), QStringLiteral("--endpoint"), s3.value(QStringLiteral("S3_ENDPOINT")),
                      QStringLiteral("--bucket"), s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"),
                      QStringLiteral("--prefix"), prefix})
                     .exitCode,
                 0);
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), tmp.filePath(QStringLiteral("disk"))})
                     .exitCode,
                 0);
        const auto kg = ctl({QStringLiteral("--json"), QStringLiteral("keygen"), QStringLiteral("--out"),
                             tmp.filePath(QStringLiteral("key.txt"))});
        QCOMPARE(kg.exitCode, 0);
        const QString recipient =
            QJsonDocument::fromJson(kg.out).object().value(QStringLiteral("recipient")).toString();

        const QString src = tmp.filePath(QStringLiteral("src"));
        QVERIFY(QDir().mkpath(src + QStringLiteral("/sub dir/ünï")));
        QByteArray data(5 << 20, Qt::Uninitialized);
        QRandomGenerator(11).fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
        {
            QFile f(src + QStringLiteral("/sub dir/ünï/blob.bin"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(data);
        }
        const auto b =
            ctl({QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("backup"), QStringLiteral("assets"),
                 QStringLiteral("--path"), src, QStringLiteral("--storage"), QStringLiteral("disk"),
                 QStringLiteral("--storage"), QStringLiteral("bucket"), QStringLiteral("--recipient"), recipient});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QJsonObject res = QJsonDocument::fromJson(b.out).object();
        const QJsonArray locs = res.value(QStringLiteral("locations")).toArray();
        QCOMPARE(locs.size(), 2);
        QString localPath;
        for (const auto &l : locs) {
            if (l.toObject().value(QStringLiteral("storage")).toString() == QLatin1String("disk"))
                localPath = l.toObject().value(QStringLiteral("path")).toString();
            else
                QVERIFY(l.toObject().value(QStringLiteral("path")).toString().startsWith(prefix));
        }
        QVERIFY(QFile::remove(localPath)); // only the bucket's copy is left

        const QString out = tmp.filePath(QStringLiteral("out"));
        const auto r = ctl({QStringLiteral("files"), QStringLiteral("restore"),
                            QString::number(res.value(QStringLiteral("id")).toInteger()), QStringLiteral("--to"), out,
                            QStringLiteral("--identity"), tmp.filePath(QStringLiteral("key.txt"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile back(out + QStringLiteral("/sub dir/ünï/blob.bin"));
        QVERIFY(back.open(QIODevice::ReadOnly));
        QCOMPARE(lifeboat::Sha256::hex(back.readAll()), lifeboat::Sha256::hex(data));
    }
};

QTEST_GUILESS_MAIN(TstFilesS3)
#include "tst_files_s3.moc"
