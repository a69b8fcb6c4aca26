// Issue 14, "one copy, the bytes that were hashed": a backup stored on local disk and in a bucket (the real s3rver
// fixture) whose local copy is damaged — 64 bytes zeroed in the middle. Every reader (single-job restore, --jobs 2,
// --tables, verify, download, files restore) must pick one copy, hash it on its way into private scratch, notice
// the damage, fall back to the bucket's copy and say so; and a restore from a bucket-only copy GETs the object once
// (counted in the fixture's request log).
#include "TestEnv.h"

#include "pipeline/MemorySink.h"
#include "pipeline/Sha256.h"
#include "storage/S3Config.h"
#include "storage/S3Session.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

class TstOneCopy : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_home;
    QString m_src;
    QString m_prefix;
    QHash<QString, QString> m_s3;
    QProcessEnvironment m_env;
    qint64 m_id = 0;
    QString m_localPath;
    QString m_key;
    int m_dbCounter = 0;

    QString newDbName(const QString &what) {
        return QStringLiteral("onecopy_%1_%2_%3").arg(what).arg(QCoreApplication::applicationPid()).arg(++m_dbCounter);
    }
    TestEnv::Run ctl(const QStringList &args) {
        const TestEnv::Run r = TestEnv::ctl(m_home, args, {}, m_env);
        if (r.exitCode != 0)
            qInfo("lifeboatctl %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        return r;
    }
    static bool zeroMiddle(const QString &path) {
        QFile f(path);
        if (!f.open(QIODevice::ReadWrite))
            return false;
        const qint64 mid = f.size() / 2;
        return f.seek(mid) && f.write(QByteArray(64, '\0')) == 64;
    }
    // The bucket's copy of a key on s3rver's disk.
    QString objectFile(const QString &key) const {
        return m_s3.value(QStringLiteral("S3_DATA_DIR")) + QLatin1Char('/') + m_s3.value(QStringLiteral("S3_BUCKET")) +
               QLatin1Char('/') + key + QStringLiteral("._S3rver_object");
    }
    QString requestLog() const { return m_s3.value(QStringLiteral("S3_BASE")) + QStringLiteral("/requests.log"); }
    // A backup of the source to the given storages (in that order); fills id, local path and key.
    bool backup(const QStringList &storages, qint64 *id, QString *localPath, QString *key) {
        QStringList args{QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("src")};
        for (const QString &s : storages)
            args << QStringLiteral("--storage") << s;
        const TestEnv::Run r = ctl(args);
        if (r.exitCode != 0)
            return false;
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        *id = o.value(QStringLiteral("id")).toInteger();
        for (const QJsonValue &v : o.value(QStringLiteral("locations")).toArray()) {
            const QJsonObject l = v.toObject();
            if (l.value(QStringLiteral("storage")).toString() == QLatin1String("disk"))
                *localPath = l.value(QStringLiteral("path")).toString();
            else
                *key = l.value(QStringLiteral("path")).toString();
        }
        return *id > 0;
    }
    void checkUsedBucket(const QJsonObject &copy) {
        QCOMPARE(copy.value(QStringLiteral("storage")).toString(), QStringLiteral("bucket"));
        QCOMPARE(copy.value(QStringLiteral("kind")).toString(), QStringLiteral("s3"));
        QCOMPARE(copy.value(QStringLiteral("location")).toString(), m_key);
        const QJsonArray skipped = copy.value(QStringLiteral("skipped")).toArray();
        QCOMPARE(skipped.size(), 1);
        QVERIFY2(skipped.first().toString().contains(QLatin1String("checksum mismatch")),
                 qPrintable(skipped.first().toString()));
        QVERIFY(skipped.first().toString().contains(m_localPath));
    }
    QString rows(const QString &db) {
        return TestEnv::psql(db, QStringLiteral("SELECT count(*) || ':' || md5(string_agg(payload, ',' ORDER BY id)) "
                                                "FROM public.payload"));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(!TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_PORT")).isEmpty(),
                 "the pg fixture is not running");
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_s3.isEmpty(), "the s3 fixture is not running");
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        m_env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_s3.value(QStringLiteral("S3_SECRET_KEY")));
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_prefix = QStringLiteral("onecopy-%1").arg(QRandomGenerator::global()->bounded(1000000));
        m_src = newDbName(QStringLiteral("src"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_src));
        // Incompressible rows, so zeroed bytes in the middle of the archive land in table data.
        TestEnv::psql(m_src, QStringLiteral("CREATE TABLE public.payload (id int PRIMARY KEY, payload text NOT NULL);"
                                            "INSERT INTO public.payload SELECT g, md5(g::text) || md5((g * 7)::text) "
                                            "FROM generate_series(1, 40000) g"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"),
                      QStringLiteral("--s3"), QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")),
                      QStringLiteral("--bucket"), m_s3.value(QStringLiteral("S3_BUCKET")),
                      QStringLiteral("--path-style"), QStringLiteral("--prefix"), m_prefix})
                     .exitCode,
                 0);
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("disk"))})
                     .exitCode,
                 0);
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("src"), QStringLiteral("--conninfo"),
                 TestEnv::pgConninfo(m_src), QStringLiteral("--storage"), QStringLiteral("disk")})
                .exitCode,
            0);
        // As measured: the bucket first in record order, the local copy second.
        QVERIFY(backup({QStringLiteral("bucket"), QStringLiteral("disk")}, &m_id, &m_localPath, &m_key));
        QVERIFY(!m_localPath.isEmpty() && !m_key.isEmpty());
        QVERIFY(zeroMiddle(m_localPath));
    }

    void singleJobRestoreUsesTheIntactCopy() {
        const QString db = newDbName(QStringLiteral("single"));
        const TestEnv::Run r =
            ctl({QStringLiteral("--json"), QStringLiteral("restore"), QString::number(m_id), QStringLiteral("--target"),
                 QStringLiteral("src"), QStringLiteral("--target-db"), db, QStringLiteral("--create")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        checkUsedBucket(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("copy")).toObject());
        QCOMPARE(rows(db), rows(m_src));
        // The text report names the copy, too.
        const QString db2 = newDbName(QStringLiteral("text"));
        const TestEnv::Run t =
            ctl({QStringLiteral("restore"), QString::number(m_id), QStringLiteral("--target"), QStringLiteral("src"),
                 QStringLiteral("--target-db"), db2, QStringLiteral("--create")});
        QVERIFY2(t.exitCode == 0, t.err.constData());
        QVERIFY2(t.err.contains("copy used: S3 storage \"bucket\""), t.err.constData());
    }

    void parallelRestoreUsesTheIntactCopy() {
        const QString db = newDbName(QStringLiteral("jobs"));
        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("restore"), QString::number(m_id),
                                    QStringLiteral("--target"), QStringLiteral("src"), QStringLiteral("--target-db"),
                                    db, QStringLiteral("--create"), QStringLiteral("--jobs"), QStringLiteral("2")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        checkUsedBucket(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("copy")).toObject());
        QCOMPARE(rows(db), rows(m_src));
    }

    void tablesRestoreUsesTheIntactCopy() {
        const QString db = newDbName(QStringLiteral("tables"));
        const TestEnv::Run r =
            ctl({QStringLiteral("--json"), QStringLiteral("restore"), QString::number(m_id), QStringLiteral("--target"),
                 QStringLiteral("src"), QStringLiteral("--target-db"), db, QStringLiteral("--create"),
                 QStringLiteral("--tables"), QStringLiteral("public.payload")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        checkUsedBucket(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("copy")).toObject());
        QCOMPARE(rows(db), rows(m_src));
    }

    void verifyUsesTheIntactCopy() {
        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("verify"), QString::number(m_id)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString copy = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("copy")).toString();
        QVERIFY2(copy.contains(QLatin1String("S3 storage \"bucket\"")) && copy.contains(m_localPath) &&
                     copy.contains(QLatin1String("checksum mismatch")),
                 qPrintable(copy));
    }

    void downloadUsesTheIntactCopy() {
        const QString dir = m_tmp.filePath(QStringLiteral("dl"));
        const TestEnv::Run r = ctl(
            {QStringLiteral("--json"), QStringLiteral("download"), QString::number(m_id), QStringLiteral("--to"), dir});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        checkUsedBucket(o.value(QStringLiteral("copy")).toObject());
        QFile f(o.value(QStringLiteral("path")).toString());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromLatin1(lifeboat::Sha256::hex(f.readAll())), o.value(QStringLiteral("sha256")).toString());
    }

    void everyCopyDamagedIsRefused() {
        qint64 id = 0;
        QString local, key;
        QVERIFY(backup({QStringLiteral("disk"), QStringLiteral("bucket")}, &id, &local, &key));
        QVERIFY(zeroMiddle(local));
        QVERIFY(zeroMiddle(objectFile(key)));
        const QString db = newDbName(QStringLiteral("bad"));
        const TestEnv::Run r =
            ctl({QStringLiteral("restore"), QString::number(id), QStringLiteral("--target"), QStringLiteral("src"),
                 QStringLiteral("--target-db"), db, QStringLiteral("--create")});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains("no intact copy"), r.err.constData());
        QCOMPARE(TestEnv::psql(QStringLiteral("postgres"),
                               QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'").arg(db)),
                 QStringLiteral("0"));
        const TestEnv::Run d = ctl({QStringLiteral("download"), QString::number(id), QStringLiteral("--to"),
                                    m_tmp.filePath(QStringLiteral("dl-bad"))});
        QCOMPARE(d.exitCode, 4);
        QVERIFY(QDir(m_tmp.filePath(QStringLiteral("dl-bad")))
                    .entryList(QDir::Files | QDir::NoDotAndDotDot | QDir::Hidden)
                    .isEmpty());
    }

    void bucketOnlyRestoreGetsTheObjectOnce() {
        qint64 id = 0;
        QString local, key;
        QVERIFY(backup({QStringLiteral("bucket")}, &id, &local, &key));
        QVERIFY(local.isEmpty());
        QFile log(requestLog());
        QVERIFY2(log.exists(), "the s3 fixture writes no request log");
        const qint64 before = log.size();
        const QString db = newDbName(QStringLiteral("once"));
        const TestEnv::Run r =
            ctl({QStringLiteral("restore"), QString::number(id), QStringLiteral("--target"), QStringLiteral("src"),
                 QStringLiteral("--target-db"), db, QStringLiteral("--create")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(rows(db), rows(m_src));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(log.seek(before));
        int gets = 0;
        const QByteArray path = '/' + m_s3.value(QStringLiteral("S3_BUCKET")).toUtf8() + '/' + key.toUtf8();
        for (const QByteArray &line : log.readAll().split('\n')) {
            if (line.startsWith("GET ") && line.mid(4).split('?').first() == path)
                ++gets;
        }
        QCOMPARE(gets, 1);
    }

    void filesRestoreUsesTheIntactCopy() {
        const QString src = m_tmp.filePath(QStringLiteral("files-src"));
        QVERIFY(QDir().mkpath(src));
        QByteArray data(3 << 20, Qt::Uninitialized);
        QRandomGenerator(5).fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
        {
            QFile f(src + QStringLiteral("/blob.bin"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(data);
        }
        const TestEnv::Run b =
            ctl({QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("backup"), QStringLiteral("assets"),
                 QStringLiteral("--path"), src, QStringLiteral("--storage"), QStringLiteral("bucket"),
                 QStringLiteral("--storage"), QStringLiteral("disk")});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QJsonObject res = QJsonDocument::fromJson(b.out).object();
        QString local, key;
        for (const QJsonValue &v : res.value(QStringLiteral("locations")).toArray()) {
            const QJsonObject l = v.toObject();
            (l.value(QStringLiteral("storage")).toString() == QLatin1String("disk") ? local : key) =
                l.value(QStringLiteral("path")).toString();
        }
        QVERIFY(!local.isEmpty() && !key.isEmpty());
        QVERIFY(zeroMiddle(local));
        const QString out = m_tmp.filePath(QStringLiteral("files-out"));
        const TestEnv::Run r =
            ctl({QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("restore"),
                 QString::number(res.value(QStringLiteral("id")).toInteger()), QStringLiteral("--to"), out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject copy = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("copy")).toObject();
        QCOMPARE(copy.value(QStringLiteral("storage")).toString(), QStringLiteral("bucket"));
        QVERIFY(copy.value(QStringLiteral("skipped")).toArray().first().toString().contains(local));
        QFile back(out + QStringLiteral("/blob.bin"));
        QVERIFY(back.open(QIODevice::ReadOnly));
        QCOMPARE(lifeboat::Sha256::hex(back.readAll()), lifeboat::Sha256::hex(data));
    }

    // Issue 14: `catalog rebuild` checks a manifest's artifact name against its key, as the desktop app's import does.
    // A manifest copied beside another object (same size, so the size check passes) is reported and skipped; it
    // sorts first, so without the check its record would point at the wrong object.
    void rebuildSkipsAManifestOfAnotherArtifact() {
        lifeboat::S3Config c;
        c.endpoint = QUrl(m_s3.value(QStringLiteral("S3_ENDPOINT")));
        c.bucket = m_s3.value(QStringLiteral("S3_BUCKET"));
        c.region = m_s3.value(QStringLiteral("S3_REGION"));
        c.accessKeyId = m_s3.value(QStringLiteral("S3_ACCESS_KEY"));
        c.secretAccessKey = m_s3.value(QStringLiteral("S3_SECRET_KEY"));
        c.pathStyle = true;
        lifeboat::S3Session bucket(c);
        lifeboat::MemorySink artifact, manifest;
        QVERIFY(!bucket.getObject(m_key, &artifact));
        QVERIFY(!bucket.getObject(m_key + QStringLiteral(".manifest.json"), &manifest));
        const QString other = m_prefix + QStringLiteral("/aaa/other.dump");
        QVERIFY(!bucket.putObject(other, artifact.data()));
        QVERIFY(!bucket.putObject(other + QStringLiteral(".manifest.json"), manifest.data()));

        const QString fresh = m_tmp.filePath(QStringLiteral("fresh-home"));
        auto freshCtl = [&](const QStringList &args) { return TestEnv::ctl(fresh, args, {}, m_env); };
        QCOMPARE(
            freshCtl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"),
                      QStringLiteral("--s3"), QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")),
                      QStringLiteral("--bucket"), m_s3.value(QStringLiteral("S3_BUCKET")),
                      QStringLiteral("--path-style"), QStringLiteral("--prefix"), m_prefix})
                .exitCode,
            0);
        const TestEnv::Run r =
            freshCtl({QStringLiteral("catalog"), QStringLiteral("rebuild"), QStringLiteral("bucket")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("other.dump.manifest.json") && r.err.contains("describes another artifact"),
                 r.err.constData());
        const TestEnv::Run l = freshCtl(
            {QStringLiteral("--json"), QStringLiteral("list"), QStringLiteral("--limit"), QStringLiteral("100")});
        QCOMPARE(l.exitCode, 0);
        QVERIFY2(!l.out.contains("aaa/other.dump"), l.out.constData());
        QVERIFY2(l.out.contains(m_key.toUtf8()), l.out.constData());
    }

    // Issue 14: `delete` (and prune, through the same BackupDeleter) never removes a backup while a restore of it
    // runs: the restore holds a lease in the catalog; delete refuses with exit 6 naming it; afterwards delete works.
    // The restore is made slow for real: a CHECK constraint calling a function that sleeps, evaluated per row.
    // On the SQLite catalog and on a PostgreSQL team catalog (the lease is a row both understand).
    void deleteWaitsForARunningRestore_data() {
        QTest::addColumn<bool>("teamCatalog");
        QTest::newRow("sqlite") << false;
        QTest::newRow("postgresql") << true;
    }
    void deleteWaitsForARunningRestore() {
        QFETCH(bool, teamCatalog);
        const QString tag = teamCatalog ? QStringLiteral("pg") : QStringLiteral("lite");
        QStringList globals{QStringLiteral("--home"), m_home};
        QString catalogDb;
        if (teamCatalog) {
            catalogDb = newDbName(QStringLiteral("catalog"));
            TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(catalogDb));
            globals << QStringLiteral("--catalog") << TestEnv::pgConninfo(catalogDb);
        }
        auto run = [&](const QStringList &args) {
            return TestEnv::run(TestEnv::lifeboatctl(), globals + args, {}, m_env);
        };
        const QString slowDb = newDbName(QStringLiteral("slowsrc"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(slowDb));
        TestEnv::psql(
            slowDb,
            QStringLiteral("CREATE FUNCTION public.slow_ok(int) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;"
                           "CREATE TABLE public.slow (id int CHECK (public.slow_ok(id)));"
                           "INSERT INTO public.slow SELECT generate_series(1, 30);"
                           "CREATE OR REPLACE FUNCTION public.slow_ok(int) RETURNS boolean LANGUAGE sql AS "
                           "$$ SELECT pg_sleep(0.3) IS NOT NULL $$"));
        const QString profile = QStringLiteral("slow") + tag;
        QCOMPARE(run({QStringLiteral("profile"), QStringLiteral("add"), profile, QStringLiteral("--conninfo"),
                      TestEnv::pgConninfo(slowDb), QStringLiteral("--storage"), QStringLiteral("disk")})
                     .exitCode,
                 0);
        const TestEnv::Run b = run({QStringLiteral("backup"), profile});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QString id = QString::fromUtf8(b.out).trimmed();

        QProcess restore;
        restore.setProcessEnvironment(m_env);
        restore.start(TestEnv::lifeboatctl(),
                      globals + QStringList{QStringLiteral("restore"), id, QStringLiteral("--target"), profile,
                                            QStringLiteral("--target-db"), newDbName(QStringLiteral("slowdst")),
                                            QStringLiteral("--create")});
        QVERIFY(restore.waitForStarted());
        // Wait until the restore's lease is in the catalog.
        const QString count = QStringLiteral("SELECT count(*) FROM backup_leases WHERE backup_id = %1").arg(id);
        bool held = false;
        for (int i = 0; i < 200 && !held && restore.state() == QProcess::Running; ++i) {
            if (teamCatalog) {
                held = TestEnv::psql(catalogDb, count) == QLatin1String("1");
            } else {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("leases"));
                db.setDatabaseName(m_home + QStringLiteral("/catalog.sqlite"));
                if (db.open()) {
                    QSqlQuery q(db);
                    held = q.exec(count) && q.next() && q.value(0).toInt() == 1;
                }
                db.close();
            }
            if (!held)
                QTest::qWait(100);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("leases"));
        QVERIFY2(held, "the restore never held a lease");
        const TestEnv::Run refused = run({QStringLiteral("delete"), id, QStringLiteral("--force")});
        QCOMPARE(refused.exitCode, 6);
        QVERIFY2(refused.err.contains("restore on host"), refused.err.constData());
        QVERIFY2(restore.state() == QProcess::Running, "the restore ended before delete was tried: too fast a test");
        QVERIFY(restore.waitForFinished(120000));
        QVERIFY2(restore.exitCode() == 0, restore.readAllStandardError().constData());
        const TestEnv::Run deleted = run({QStringLiteral("delete"), id, QStringLiteral("--force")});
        QVERIFY2(deleted.exitCode == 0, deleted.err.constData());
    }

    void cleanupTestCase() {
        const QString dbs = TestEnv::psql(
            QStringLiteral("postgres"),
            QStringLiteral("SELECT string_agg(datname, ' ') FROM pg_database WHERE datname LIKE 'onecopy_%_") +
                QString::number(QCoreApplication::applicationPid()) + QStringLiteral("_%'"));
        for (const QString &db : dbs.split(QLatin1Char(' '), Qt::SkipEmptyParts))
            TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(db));
    }
};

QTEST_GUILESS_MAIN(TstOneCopy)
#include "tst_one_copy.moc"
