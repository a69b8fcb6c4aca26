// Cold storage (issue 15): an S3 storage's --storage-class is sent as x-amz-storage-class on PutObject and on
// CreateMultipartUpload, inside the SigV4 signature (the s3 fixture logs the header and whether it is among the
// SignedHeaders, and s3rver verifies the signature and keeps the class with the object); manifests stay in the
// default class. A download of an object in GLACIER, which S3 (and the fixture) refuses with 403
// InvalidObjectState until it is restored, says so and exits 2.
#include "TestEnv.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

class TstStorageClass : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QHash<QString, QString> m_s3;
    QString m_home;
    QString m_prefix;
    QString m_src;

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_s3.value(QStringLiteral("S3_SECRET_KEY")));
        return e;
    }
    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args, {}, env()); }
    QString bucketDir() const {
        return m_s3.value(QStringLiteral("S3_DATA_DIR")) + QLatin1Char('/') + m_s3.value(QStringLiteral("S3_BUCKET"));
    }
    QString classLog() const {
        QFile f(m_s3.value(QStringLiteral("S3_DATA_DIR")) + QStringLiteral("/../storage-class.log"));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }
    // The class s3rver stored with the object (absent: the default).
    QString storedClass(const QString &key) const {
        QFile f(bucketDir() + QLatin1Char('/') + key + QStringLiteral("._S3rver_metadata.json"));
        if (!f.open(QIODevice::ReadOnly))
            return QStringLiteral("<no object>");
        return QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("x-amz-storage-class")).toString();
    }
    // Backs up m_src to storage "cold"; returns the record id and the artifact's key.
    bool backup(qint64 *id, QString *key, QString *manifestKey) {
        const auto r =
            ctl({QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("backup"), QStringLiteral("assets"),
                 QStringLiteral("--path"), m_src, QStringLiteral("--storage"), QStringLiteral("cold")});
        if (r.exitCode != 0) {
            qWarning("files backup: %s", r.err.constData());
            return false;
        }
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        *id = o.value(QStringLiteral("id")).toInteger();
        const QJsonObject l = o.value(QStringLiteral("locations")).toArray().first().toObject();
        *key = l.value(QStringLiteral("path")).toString();
        *manifestKey = *key + QStringLiteral(".manifest.json"); // beside its artifact
        return !key->isEmpty();
    }
    void writeSource(qint64 bytes) {
        QDir().mkpath(m_src);
        QFile f(m_src + QStringLiteral("/data.bin"));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QByteArray chunk(1 << 20, Qt::Uninitialized);
        for (qint64 done = 0; done < bytes; done += chunk.size()) {
            QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(chunk.data()), chunk.size() / 4);
            QVERIFY(f.write(chunk.constData(), std::min<qint64>(chunk.size(), bytes - done)) > 0);
        }
    }

private slots:
    void initTestCase() {
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_s3.isEmpty(), "the s3 fixture must be running");
        m_prefix = QStringLiteral("cls%1").arg(QRandomGenerator::global()->bounded(1000000));
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_src = m_tmp.filePath(QStringLiteral("src"));
    }

    void badClassIsRefused() {
        const auto r =
            ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("odd"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                 m_s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--storage-class"),
                 QStringLiteral("cheap please")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("is not a storage class"), r.err.constData());
    }

    void classIsSentSignedAndStored() {
        auto r =
            ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("cold"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                 m_s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"), QStringLiteral("--prefix"),
                 m_prefix, QStringLiteral("--storage-class"), QStringLiteral("standard_ia")});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        // A small artifact: one PutObject.
        writeSource(64 * 1024);
        qint64 id = 0;
        QString key, manifestKey;
        QVERIFY(backup(&id, &key, &manifestKey));
        QCOMPARE(storedClass(key), QStringLiteral("STANDARD_IA"));
        QCOMPARE(storedClass(manifestKey), QString()); // manifests stay readable without a restore
        const QString bucket = m_s3.value(QStringLiteral("S3_BUCKET"));
        QString log = classLog();
        QVERIFY2(log.contains(QStringLiteral("PUT /%1/%2 STANDARD_IA signed\n").arg(bucket, key)), qPrintable(log));
        QVERIFY2(!log.contains(manifestKey), qPrintable(log));
        QVERIFY2(!log.contains(QLatin1String(" unsigned")), qPrintable(log));

        // Above one part (16 MiB): CreateMultipartUpload carries the class.
        QTest::qWait(1100); // artifact names are unique to the second
        writeSource(20 * 1024 * 1024);
        QVERIFY(backup(&id, &key, &manifestKey));
        QCOMPARE(storedClass(key), QStringLiteral("STANDARD_IA"));
        log = classLog();
        QFile requests(m_s3.value(QStringLiteral("S3_DATA_DIR")) + QStringLiteral("/../requests.log"));
        QVERIFY(requests.open(QIODevice::ReadOnly));
        QStringList sent;
        for (const QByteArray &line : requests.readAll().split('\n'))
            if (line.contains(key.toUtf8()))
                sent << QString::fromUtf8(line);
        QVERIFY2(log.contains(QStringLiteral("POST /%1/%2?uploads= STANDARD_IA signed\n").arg(bucket, key)),
                 qPrintable(log + sent.join(QLatin1Char('\n'))));
    }

    void archivedObjectNeedsARestore() {
        auto r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("cold"),
                      QStringLiteral("--storage-class"), QStringLiteral("GLACIER")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QTest::qWait(1100);
        writeSource(32 * 1024);
        qint64 id = 0;
        QString key, manifestKey;
        QVERIFY(backup(&id, &key, &manifestKey));
        QCOMPARE(storedClass(key), QStringLiteral("GLACIER"));
        const QString out = m_tmp.filePath(QStringLiteral("dl"));
        QDir().mkpath(out);
        r = ctl({QStringLiteral("download"), QString::number(id), QStringLiteral("--to"), out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("archive storage class (GLACIER or DEEP_ARCHIVE)") && r.err.contains("restore-object"),
                 r.err.constData());
        // Nothing under the artifact's name. (ArtifactReader leaves its .partial behind after a failed GET: reported,
        // not fixed here — the download path belongs to another change.)
        QVERIFY(!QFile::exists(out + QLatin1Char('/') + key.section(QLatin1Char('/'), -1)));
    }
};

QTEST_GUILESS_MAIN(TstStorageClass)
#include "tst_storage_class.moc"
