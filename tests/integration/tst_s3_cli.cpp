// lifeboatctl with S3 storage against the real S3 fixture (s3rver verifies SigV4) and the real pg fixture:
// one-pass backup to local+S3, catalog rebuild from the bucket alone, a damaged object refused on download, a wrong
// secret named as such, and a server that dies mid-upload leaving no COMPLETED record.
#include "TestEnv.h"

#include "pipeline/Sha256.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

using namespace lifeboat;

class TstS3Cli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_db;
    QString m_prefix;
    QHash<QString, QString> m_pg;
    QHash<QString, QString> m_s3;

    QProcessEnvironment env(const QString &secret = QStringLiteral("S3RVER")) const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), secret);
        return e;
    }
    TestEnv::Run ctl(const QString &home, const QStringList &args, const QProcessEnvironment &e) {
        return TestEnv::ctl(home, args, {}, e);
    }
    TestEnv::Run ctl(const QString &home, const QStringList &args) { return ctl(home, args, env()); }
    QJsonValue json(const QString &home, const QStringList &args) {
        const auto r = ctl(home, QStringList{QStringLiteral("--json")} + args);
        if (r.exitCode != 0)
            qWarning("%s -> %d: %s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        const auto doc = QJsonDocument::fromJson(r.out);
        return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }
    void addS3Storage(const QString &home, const QString &name, const QString &endpoint) {
        const auto r = ctl(home, {QStringLiteral("storage"), QStringLiteral("add"), name, QStringLiteral("--s3"),
                                  QStringLiteral("--endpoint"), endpoint, QStringLiteral("--bucket"),
                                  m_s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"),
                                  QStringLiteral("--prefix"), m_prefix});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    static QByteArray sha(const QString &path) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return Sha256::hex(f.readAll());
    }

private slots:
    void initTestCase() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_pg.isEmpty() && !m_s3.isEmpty(), "the pg and s3 fixtures must be running");
        m_home = m_tmp.filePath(QStringLiteral("home"));
        const int n = QRandomGenerator::global()->bounded(1000000);
        m_db = QStringLiteral("lb_s3_%1").arg(n);
        m_prefix = QStringLiteral("cli test %1/ünï").arg(n); // spaces and unicode in keys
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(
            m_db,
            QStringLiteral("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 50000) g"));
        addS3Storage(m_home, QStringLiteral("bucket"), m_s3.value(QStringLiteral("S3_ENDPOINT")));
        QCOMPARE(ctl(m_home, {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                              QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("disk"))})
                     .exitCode,
                 0);
        const QString conn =
            QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
                .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), m_db);
        QCOMPARE(ctl(m_home, {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("p"),
                              QStringLiteral("--conninfo"), conn})
                     .exitCode,
                 0);
    }

    void backupToLocalAndS3InOnePass() {
        const QJsonObject out =
            json(m_home, {QStringLiteral("backup"), QStringLiteral("p"), QStringLiteral("--storage"),
                          QStringLiteral("disk"), QStringLiteral("--storage"), QStringLiteral("bucket")})
                .toObject();
        const qint64 id = out.value(QStringLiteral("id")).toInteger();
        QVERIFY(id > 0);
        const QJsonObject rec = json(m_home, {QStringLiteral("show"), QString::number(id)}).toObject();
        const QJsonArray locs = rec.value(QStringLiteral("locations")).toArray();
        QCOMPARE(locs.size(), 2);
        QCOMPARE(locs.at(1).toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("s3"));
        const QString key = locs.at(1).toObject().value(QStringLiteral("path")).toString();
        QVERIFY2(key.startsWith(m_prefix + QStringLiteral("/manual/")), qPrintable(key));

        // The object in the bucket is byte-identical to the local copy and to the catalog's hash.
        QTemporaryDir dl;
        const auto get = ctl(m_home, {QStringLiteral("s3"), QStringLiteral("get"), QStringLiteral("bucket"), key,
                                      QStringLiteral("--to"), dl.path()});
        QVERIFY2(get.exitCode == 0, get.err.constData());
        QVERIFY2(get.err.contains("verified"), "the object's stored SHA-256 metadata should have been checked");
        const QString fetched = QDir(dl.path()).filePath(QFileInfo(key).fileName());
        QCOMPARE(sha(fetched), rec.value(QStringLiteral("sha256")).toString().toLatin1());
        QCOMPARE(sha(locs.at(0).toObject().value(QStringLiteral("path")).toString()), sha(fetched));

        const QJsonArray listing = json(m_home, {QStringLiteral("s3"), QStringLiteral("ls"), QStringLiteral("bucket"),
                                                 QStringLiteral("--recursive")})
                                       .toArray();
        QStringList keys;
        for (const auto &v : listing)
            keys << v.toObject().value(QStringLiteral("key")).toString();
        QVERIFY(keys.contains(key));
        QVERIFY(keys.contains(key + QStringLiteral(".manifest.json")));
    }

    void catalogRebuildFromBucketAlone() {
        const QString fresh = m_tmp.filePath(QStringLiteral("fresh-home"));
        addS3Storage(fresh, QStringLiteral("bucket"), m_s3.value(QStringLiteral("S3_ENDPOINT")));
        const QJsonObject r =
            json(fresh, {QStringLiteral("catalog"), QStringLiteral("rebuild"), QStringLiteral("bucket")}).toObject();
        QCOMPARE(r.value(QStringLiteral("added")).toInt(), 1);
        const QJsonArray before = json(m_home, {QStringLiteral("list")}).toArray();
        const QJsonArray after = json(fresh, {QStringLiteral("list")}).toArray();
        QCOMPARE(after.size(), 1);
        for (const QString &field : {QStringLiteral("filename"), QStringLiteral("sha256"), QStringLiteral("size"),
                                     QStringLiteral("database"), QStringLiteral("profile"),
                                     QStringLiteral("tableCount"), QStringLiteral("status"), QStringLiteral("started")})
            QCOMPARE(after.first().toObject().value(field), before.first().toObject().value(field));
        // Running it again adds nothing.
        QCOMPARE(json(fresh, {QStringLiteral("catalog"), QStringLiteral("rebuild"), QStringLiteral("bucket")})
                     .toObject()
                     .value(QStringLiteral("added"))
                     .toInt(),
                 0);

        // The rebuilt catalog downloads from the bucket, verified, with the manifest beside it.
        const QString name =
            QFileInfo(after.first().toObject().value(QStringLiteral("filename")).toString()).fileName();
        QTemporaryDir dl;
        const auto ok =
            ctl(fresh, {QStringLiteral("download"), QStringLiteral("1"), QStringLiteral("--to"), dl.path()});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        const QString manifest = QDir(dl.path()).filePath(name + QStringLiteral(".manifest.json"));
        QVERIFY2(ok.err.contains("Beside it: " + manifest.toUtf8()), ok.err.constData());
        QFile m(manifest);
        QVERIFY(m.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(m.readAll()).object().value(QStringLiteral("sha256")),
                 after.first().toObject().value(QStringLiteral("sha256")));
        // A stale .partial of the manifest's name is neither resumed nor replaced: the manifest is not copied (a
        // warning says why) and the verified artifact stays.
        QTemporaryDir dl3;
        const QString stalePath = QDir(dl3.path()).filePath(name + QStringLiteral(".manifest.json.partial"));
        {
            QFile stale(stalePath);
            QVERIFY(stale.open(QIODevice::WriteOnly));
            stale.write("{\"not\": \"this\"");
        }
        const auto gap =
            ctl(fresh, {QStringLiteral("download"), QStringLiteral("1"), QStringLiteral("--to"), dl3.path()});
        QVERIFY2(gap.exitCode == 0, gap.err.constData());
        QVERIFY2(gap.err.contains("not copied beside it: the manifest") && gap.err.contains("already exists"),
                 gap.err.constData());
        QVERIFY(QFile::exists(QDir(dl3.path()).filePath(name)));
        QVERIFY(!QFile::exists(QDir(dl3.path()).filePath(name + QStringLiteral(".manifest.json"))));
        QFile stale(stalePath);
        QVERIFY(stale.open(QIODevice::ReadOnly));
        QCOMPARE(stale.readAll(), QByteArray("{\"not\": \"this\""));

        // An object altered on the server's disk: the download is refused (exit 4) and leaves nothing.
        const QString key = after.first()
                                .toObject()
                                .value(QStringLiteral("locations"))
                                .toArray()
                                .first()
                                .toObject()
                                .value(QStringLiteral("path"))
                                .toString();
        const QString onDisk = m_s3.value(QStringLiteral("S3_DATA_DIR")) + QLatin1Char('/') +
                               m_s3.value(QStringLiteral("S3_BUCKET")) + QLatin1Char('/') + key +
                               QStringLiteral("._S3rver_object");
        QFile f(onDisk);
        QVERIFY2(f.open(QIODevice::ReadWrite), qPrintable(onDisk));
        f.seek(100);
        const char c = f.peek(1).at(0);
        f.write(QByteArray(1, char(c ^ 0x5a)));
        f.close();
        QTemporaryDir dl2;
        const auto bad =
            ctl(fresh, {QStringLiteral("download"), QStringLiteral("1"), QStringLiteral("--to"), dl2.path()});
        QCOMPARE(bad.exitCode, 4);
        QVERIFY(QDir(dl2.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
        QVERIFY(f.open(QIODevice::ReadWrite)); // put it back for the tests after this one
        f.seek(100);
        f.write(QByteArray(1, c));
        f.close();
    }

    void restoreAndDeleteFromBucketOnlyRecord() {
        // The rebuilt home knows the backup only from the bucket: restore downloads it once, verified, then restores.
        const QString fresh = m_tmp.filePath(QStringLiteral("fresh-home"));
        const QString target = m_db + QStringLiteral("_from_s3");
        const QString uri = QStringLiteral("host=%1 port=%2 user=postgres dbname=postgres")
                                .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")));
        const auto r = ctl(fresh, {QStringLiteral("restore"), QStringLiteral("1"), QStringLiteral("--target"), uri,
                                   QStringLiteral("--target-db"), target, QStringLiteral("--create")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM t")), QStringLiteral("50000"));
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT md5(string_agg(v, ',' ORDER BY id)) FROM t")),
                 TestEnv::psql(m_db, QStringLiteral("SELECT md5(string_agg(v, ',' ORDER BY id)) FROM t")));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(target));

        // delete removes the object and its manifest from the bucket.
        const QString key = json(fresh, {QStringLiteral("show"), QStringLiteral("1")})
                                .toObject()
                                .value(QStringLiteral("locations"))
                                .toArray()
                                .first()
                                .toObject()
                                .value(QStringLiteral("path"))
                                .toString();
        QCOMPARE(ctl(fresh, {QStringLiteral("delete"), QStringLiteral("1"), QStringLiteral("--force")}).exitCode, 0);
        const QJsonArray listing = json(fresh, {QStringLiteral("s3"), QStringLiteral("ls"), QStringLiteral("bucket"),
                                                QStringLiteral("--recursive")})
                                       .toArray();
        for (const auto &v : listing)
            QVERIFY2(!v.toObject().value(QStringLiteral("key")).toString().startsWith(key),
                     qPrintable(v.toObject().value(QStringLiteral("key")).toString()));
        QCOMPARE(json(fresh, {QStringLiteral("show"), QStringLiteral("1")})
                     .toObject()
                     .value(QStringLiteral("status"))
                     .toString(),
                 QStringLiteral("DELETED"));
    }

    void wrongSecretIsNamed() {
        const auto r =
            ctl(m_home,
                {QStringLiteral("backup"), QStringLiteral("p"), QStringLiteral("--storage"), QStringLiteral("bucket")},
                env(QStringLiteral("not-the-secret")));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("signature does not match — check the access key and secret"), r.err.constData());
        QVERIFY(!r.err.contains("not-the-secret"));
        // An honest FAILED record with no copies; nothing left in the bucket.
        const QJsonArray failed =
            json(m_home, {QStringLiteral("list"), QStringLiteral("--status"), QStringLiteral("FAILED")}).toArray();
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed.first().toObject().value(QStringLiteral("locations")).toArray().isEmpty());
        QCOMPARE(json(m_home, {QStringLiteral("list"), QStringLiteral("--status"), QStringLiteral("IN_PROGRESS")})
                     .toArray()
                     .size(),
                 0);
    }

    void serverStoppedMidUpload() {
        // A private server so the shared fixture keeps running for other tests.
        QTemporaryDir fix;
        const auto start =
            TestEnv::run(QStringLiteral("bash"), {TestEnv::sourceDir() + QStringLiteral("/tests/support/s3_fixture.sh"),
                                                  QStringLiteral("start"), fix.path()});
        QVERIFY2(start.exitCode == 0, start.err.constData());
        QHash<QString, QString> priv;
        QFile envFile(fix.filePath(QStringLiteral("s3.env")));
        QVERIFY(envFile.open(QIODevice::ReadOnly));
        for (const QByteArray &line : envFile.readAll().split('\n'))
            if (line.contains('='))
                priv.insert(QString::fromUtf8(line.left(line.indexOf('='))),
                            QString::fromUtf8(line.mid(line.indexOf('=') + 1)));
        addS3Storage(m_home, QStringLiteral("doomed"), priv.value(QStringLiteral("S3_ENDPOINT")));
        // ~150 MB of incompressible rows, so the upload is still going when the server dies.
        const QString big = m_db + QStringLiteral("_big");
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(big));
        TestEnv::psql(
            big, QStringLiteral(
                     "CREATE TABLE r AS SELECT g, decode(string_agg(md5(random()::text || g || k), ''), 'hex') AS b "
                     "FROM generate_series(1, 20000) g, generate_series(1, 500) k GROUP BY g"));
        const QString conn =
            QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
                .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), big);
        QCOMPARE(ctl(m_home, {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("big"),
                              QStringLiteral("--conninfo"), conn})
                     .exitCode,
                 0);

        QProcess proc;
        proc.setProcessEnvironment(env());
        proc.start(TestEnv::lifeboatctl(),
                   {QStringLiteral("--home"), m_home, QStringLiteral("backup"), QStringLiteral("big"),
                    QStringLiteral("--storage"), QStringLiteral("doomed"), QStringLiteral("--compress"),
                    QStringLiteral("none")});
        QVERIFY(proc.waitForStarted());
        // Kill the server once data is flowing into it.
        const QString dataDir = priv.value(QStringLiteral("S3_DATA_DIR"));
        QElapsedTimer t;
        t.start();
        bool flowing = false;
        while (!flowing && t.elapsed() < 120000 && proc.state() == QProcess::Running) {
            QDirIterator it(dataDir, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                it.next();
                if (it.fileInfo().size() > 0)
                    flowing = true;
            }
            QThread::msleep(50);
        }
        QVERIFY2(flowing, "no upload reached the private server");
        ::kill(static_cast<pid_t>(priv.value(QStringLiteral("S3_PID")).toLongLong()), SIGKILL);
        QVERIFY(proc.waitForFinished(300000));
        const QByteArray err = proc.readAllStandardError();
        QVERIFY2(proc.exitCode() == 2, err.constData());
        const QJsonArray done =
            json(m_home, {QStringLiteral("list"), QStringLiteral("--profile"), QStringLiteral("big"),
                          QStringLiteral("--status"), QStringLiteral("COMPLETED")})
                .toArray();
        QCOMPARE(done.size(), 0);
        QCOMPARE(json(m_home, {QStringLiteral("list"), QStringLiteral("--profile"), QStringLiteral("big"),
                               QStringLiteral("--status"), QStringLiteral("FAILED")})
                     .toArray()
                     .size(),
                 1);
        TestEnv::run(QStringLiteral("bash"), {TestEnv::sourceDir() + QStringLiteral("/tests/support/s3_fixture.sh"),
                                              QStringLiteral("stop"), fix.path()});
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(big));
    }

    void cleanupTestCase() {
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_db));
    }
};

QTEST_GUILESS_MAIN(TstS3Cli)
#include "tst_s3_cli.moc"
