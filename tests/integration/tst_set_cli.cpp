// Application backup sets end to end with real parts: a PostgreSQL database (pg fixture) and a bucket mirror on
// the S3 fixture, captured by `lifeboatctl set backup` under one set id into a shared PostgreSQL catalog (migrated
// to the latest schema), restored by `set restore` into a new database and prefix, refused as a whole when any
// member's safety check fails, and a failing member marking the whole set failed.
#include "TestEnv.h"

#include "catalog/SqlCatalog.h"
#include "pipeline/MemorySink.h"
#include "storage/S3Session.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

namespace {
quint16 freePort() {
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

QByteArray readFile(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

void writeFile(const QString &path, const QByteArray &data) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(data);
}
} // namespace

class TstSetCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_db;
    QString m_catalogDb;
    QString m_root;
    QStringList m_globals;
    QHash<QString, QString> m_pg;
    QHash<QString, QString> m_s3;
    std::unique_ptr<S3Session> m_bucket;
    QStringList m_dropDbs;

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_s3.value(QStringLiteral("S3_SECRET_KEY")));
        return e;
    }
    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, m_globals + args, {}, env()); }
    QJsonObject json(const QStringList &args, int expectedExit = 0) {
        const auto r = ctl(QStringList{QStringLiteral("--json")} + args);
        if (r.exitCode != expectedExit)
            qWarning("%s -> %d: %s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        [&] { QCOMPARE(r.exitCode, expectedExit); }();
        return QJsonDocument::fromJson(r.out).object();
    }
    void addS3Storage(const QString &name, const QString &prefix, const QString &bucket = {}) {
        const auto r =
            ctl({QStringLiteral("storage"), QStringLiteral("add"), name, QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                 bucket.isEmpty() ? m_s3.value(QStringLiteral("S3_BUCKET")) : bucket, QStringLiteral("--path-style"),
                 QStringLiteral("--prefix"), m_root + prefix});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    QString key(const QString &relative) const { return m_root + relative; }
    QByteArray get(const QString &relative) {
        MemorySink sink;
        const Error e = m_bucket->getObject(key(relative), &sink);
        return e ? QByteArray("<missing>") : sink.data();
    }
    int countBelow(const QString &relative) {
        S3ListResult listing;
        if (m_bucket->listAll(key(relative), QString(), &listing))
            return -1;
        return static_cast<int>(listing.objects.size());
    }
    QString rows(const QString &db) {
        return TestEnv::psql(db, QStringLiteral("SELECT count(*) FROM orders")).trimmed();
    }
    bool dbExists(const QString &db) {
        return TestEnv::psql(QStringLiteral("postgres"),
                             QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'").arg(db))
                   .trimmed() == QLatin1String("1");
    }

private slots:
    void initTestCase() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_pg.isEmpty() && !m_s3.isEmpty(), "the pg and s3 fixtures must be running");
        const int n = QRandomGenerator::global()->bounded(1000000);
        m_db = QStringLiteral("lb_set_%1").arg(n);
        m_catalogDb = QStringLiteral("lb_set_catalog_%1").arg(n);
        m_root = QStringLiteral("set-test-%1/").arg(n);
        m_home = m_tmp.filePath(QStringLiteral("home"));
        for (const QString &db : {m_db, m_catalogDb})
            TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(db));
        m_dropDbs << m_db << m_catalogDb;
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE orders AS SELECT g AS id, md5(g::text) AS note FROM "
                                           "generate_series(1, 5000) g"));
        // The shared team catalog on PostgreSQL: migration 4 (set ids) runs there.
        m_globals = {QStringLiteral("--catalog"), QStringLiteral("postgresql://postgres@%1:%2/%3")
                                                      .arg(m_pg.value(QStringLiteral("PG_HOST")),
                                                           m_pg.value(QStringLiteral("PG_PORT")), m_catalogDb)};

        S3Config c;
        c.endpoint = QUrl(m_s3.value(QStringLiteral("S3_ENDPOINT")));
        c.bucket = m_s3.value(QStringLiteral("S3_BUCKET"));
        c.pathStyle = true;
        c.accessKeyId = m_s3.value(QStringLiteral("S3_ACCESS_KEY"));
        c.secretAccessKey = m_s3.value(QStringLiteral("S3_SECRET_KEY"));
        m_bucket = std::make_unique<S3Session>(c);
        for (const auto &[k, v] :
             {std::pair{"app/media/logo.png", "PNG bytes"}, std::pair{"app/media/u/1.pdf", "PDF one"},
              std::pair{"app/media/u/2.pdf", "PDF two"}})
            QVERIFY(!m_bucket->putObject(key(QString::fromUtf8(k)), QByteArray(v)));

        addS3Storage(QStringLiteral("uploads"), QStringLiteral("app"));
        addS3Storage(QStringLiteral("backup"), QStringLiteral("backup"));
        addS3Storage(QStringLiteral("nowhere"), QStringLiteral("x"), QStringLiteral("no-such-bucket"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("disk"))})
                     .exitCode,
                 0);
        QCOMPARE(TestEnv::psql(m_catalogDb, QStringLiteral("SELECT max(version) FROM schema_version")).trimmed(),
                 QString::number(SqlCatalog::latestSchemaVersion()));
        const QString conn =
            QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
                .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), m_db);
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shopdb"),
                      QStringLiteral("--conninfo"), conn})
                     .exitCode,
                 0);
        QCOMPARE(ctl({QStringLiteral("mirror"), QStringLiteral("add"), QStringLiteral("media"),
                      QStringLiteral("--source"), QStringLiteral("uploads"), QStringLiteral("--source-prefix"),
                      QStringLiteral("media"), QStringLiteral("--storage"), QStringLiteral("backup")})
                     .exitCode,
                 0);
    }

    void addValidates() {
        auto r = ctl({QStringLiteral("set"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("--profile"),
                      QStringLiteral("nope")});
        QCOMPARE(r.exitCode, 3);
        r = ctl({QStringLiteral("set"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("--profile"),
                 QStringLiteral("shopdb"), QStringLiteral("--mirror"), QStringLiteral("nope")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("unknown mirror"), r.err.constData());
        r = ctl({QStringLiteral("set"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("--profile"),
                 QStringLiteral("shopdb"), QStringLiteral("--cron"), QStringLiteral("61 * * * *")});
        QCOMPARE(r.exitCode, 3);
    }

    void backupAndRestoreWholeSet() {
        QCOMPARE(ctl({QStringLiteral("set"), QStringLiteral("add"), QStringLiteral("shop"), QStringLiteral("--profile"),
                      QStringLiteral("shopdb"), QStringLiteral("--mirror"), QStringLiteral("media"),
                      QStringLiteral("--storage"), QStringLiteral("disk"), QStringLiteral("--cron"),
                      QStringLiteral("0 3 * * *"), QStringLiteral("--tz"), QStringLiteral("UTC"),
                      QStringLiteral("--keep-daily"), QStringLiteral("5")})
                     .exitCode,
                 0);
        const QJsonObject b = json({QStringLiteral("set"), QStringLiteral("backup"), QStringLiteral("shop")});
        QCOMPARE(b.value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
        const QString setId = b.value(QStringLiteral("setId")).toString();
        QVERIFY2(setId.startsWith(QStringLiteral("set-shop-")), qPrintable(setId));
        const QJsonArray members = b.value(QStringLiteral("members")).toArray();
        QCOMPARE(members.size(), 2);
        QCOMPARE(members.at(0)[QStringLiteral("kind")].toString(), QStringLiteral("database")); // database first
        QCOMPARE(members.at(1)[QStringLiteral("kind")].toString(), QStringLiteral("mirror"));
        // Every record carries the set id (read back from the catalog, and straight from the table).
        for (const QJsonValue &m : members) {
            const QJsonObject rec =
                json({QStringLiteral("show"), QString::number(m[QStringLiteral("recordId")].toInteger())});
            QCOMPARE(rec.value(QStringLiteral("setId")).toString(), setId);
            QCOMPARE(rec.value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
        }
        QCOMPARE(
            TestEnv::psql(m_catalogDb, QStringLiteral("SELECT count(*) FROM backups WHERE set_id = '%1'").arg(setId))
                .trimmed(),
            QStringLiteral("2"));
        // set list shows the capture.
        const auto listed =
            QJsonDocument::fromJson(ctl({QStringLiteral("--json"), QStringLiteral("set"), QStringLiteral("list")}).out)
                .array();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.at(0)[QStringLiteral("captures")].toArray().at(0)[QStringLiteral("setId")].toString(), setId);

        // The source moves on after the capture.
        TestEnv::psql(m_db, QStringLiteral("INSERT INTO orders VALUES (999999, 'after the set')"));
        QVERIFY(!m_bucket->putObject(key(QStringLiteral("app/media/logo.png")), "changed later"));

        // Dry run: every check passes, nothing changes.
        const QString target = m_db + QStringLiteral("_restored");
        m_dropDbs << target;
        const QStringList restoreArgs{QStringLiteral("set"),
                                      QStringLiteral("restore"),
                                      setId,
                                      QStringLiteral("--target"),
                                      QStringLiteral("shopdb"),
                                      QStringLiteral("--target-db"),
                                      target,
                                      QStringLiteral("--create"),
                                      QStringLiteral("--mirror-prefix"),
                                      QStringLiteral("restored")};
        const QJsonObject dry = json(restoreArgs + QStringList{QStringLiteral("--dry-run")});
        QCOMPARE(dry.value(QStringLiteral("status")).toString(), QStringLiteral("CHECKED"));
        QVERIFY(!dbExists(target));
        QCOMPARE(countBelow(QStringLiteral("app/restored/")), 0);

        const QJsonObject restored = json(restoreArgs);
        QCOMPARE(restored.value(QStringLiteral("status")).toString(), QStringLiteral("RESTORED"));
        QCOMPARE(rows(target), QStringLiteral("5000")); // as captured, without the later row
        QCOMPARE(get(QStringLiteral("app/restored/logo.png")), QByteArray("PNG bytes"));
        QCOMPARE(get(QStringLiteral("app/restored/u/1.pdf")), QByteArray("PDF one"));
        QCOMPARE(get(QStringLiteral("app/restored/u/2.pdf")), QByteArray("PDF two"));
        QCOMPARE(countBelow(QStringLiteral("app/restored/")), 3);
    }

    void refusedMemberChangesNothingAnywhere() {
        const QString setId = json({QStringLiteral("set"), QStringLiteral("backup"), QStringLiteral("shop")})
                                  .value(QStringLiteral("setId"))
                                  .toString();
        // 1) The database member refuses (existing database, wrong --confirm): the mirror is not restored either.
        const QString existing = m_db + QStringLiteral("_existing");
        m_dropDbs << existing;
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(existing));
        TestEnv::psql(existing, QStringLiteral("CREATE TABLE orders AS SELECT 1 AS id"));
        QJsonObject r = json({QStringLiteral("set"), QStringLiteral("restore"), setId, QStringLiteral("--target"),
                              QStringLiteral("shopdb"), QStringLiteral("--target-db"), existing,
                              QStringLiteral("--clean"), QStringLiteral("--confirm"), QStringLiteral("wrong-name"),
                              QStringLiteral("--mirror-prefix"), QStringLiteral("refused1")},
                             6);
        QCOMPARE(r.value(QStringLiteral("status")).toString(), QStringLiteral("REFUSED"));
        QVERIFY2(r.value(QStringLiteral("error")).toString().contains(QStringLiteral("database shopdb")),
                 qPrintable(r.value(QStringLiteral("error")).toString()));
        QCOMPARE(rows(existing), QStringLiteral("1"));
        QCOMPARE(countBelow(QStringLiteral("app/refused1/")), 0);

        // 2) The mirror member refuses (a different object in the way) while the database check passes: the new
        // database is not created.
        QVERIFY(!m_bucket->putObject(key(QStringLiteral("app/refused2/logo.png")), "someone else's logo"));
        const QString fresh = m_db + QStringLiteral("_never");
        m_dropDbs << fresh;
        r = json({QStringLiteral("set"), QStringLiteral("restore"), setId, QStringLiteral("--target"),
                  QStringLiteral("shopdb"), QStringLiteral("--target-db"), fresh, QStringLiteral("--create"),
                  QStringLiteral("--mirror-prefix"), QStringLiteral("refused2")},
                 6);
        QVERIFY2(r.value(QStringLiteral("error")).toString().contains(QStringLiteral("mirror media")),
                 qPrintable(r.value(QStringLiteral("error")).toString()));
        const QJsonArray members = r.value(QStringLiteral("members")).toArray();
        QCOMPARE(members.at(0)[QStringLiteral("check")].toString(), QStringLiteral("passed"));
        QCOMPARE(members.at(1)[QStringLiteral("check")].toString(), QStringLiteral("refused"));
        QVERIFY(!dbExists(fresh));
        QCOMPARE(countBelow(QStringLiteral("app/refused2/")), 1);
        QCOMPARE(get(QStringLiteral("app/refused2/logo.png")), QByteArray("someone else's logo"));
    }

    // --create-missing-roles reaches the database member: refused for a set whose database backup kept no roles,
    // checked for one whose profile keeps them (they all exist on this server: nothing to create).
    void missingRolesComeWithTheDatabaseMember() {
        const QString fresh = m_db + QStringLiteral("_roles");
        m_dropDbs << fresh;
        const auto restoreArgs = [&](const QString &setId) {
            return QStringList{QStringLiteral("set"),
                               QStringLiteral("restore"),
                               setId,
                               QStringLiteral("--target"),
                               QStringLiteral("shopdb"),
                               QStringLiteral("--target-db"),
                               fresh,
                               QStringLiteral("--create"),
                               QStringLiteral("--mirror-prefix"),
                               QStringLiteral("roles"),
                               QStringLiteral("--create-missing-roles"),
                               QStringLiteral("--dry-run")};
        };
        const QString plain = json({QStringLiteral("set"), QStringLiteral("backup"), QStringLiteral("shop")})
                                  .value(QStringLiteral("setId"))
                                  .toString();
        const QJsonObject refused = json(restoreArgs(plain), 6);
        QVERIFY2(refused.value(QStringLiteral("error")).toString().contains(QStringLiteral("holds no roles")),
                 qPrintable(refused.value(QStringLiteral("error")).toString()));

        const QString conn =
            QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
                .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), m_db);
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shoproles"),
                      QStringLiteral("--conninfo"), conn, QStringLiteral("--globals")})
                     .exitCode,
                 0);
        QCOMPARE(
            ctl({QStringLiteral("set"), QStringLiteral("add"), QStringLiteral("withroles"), QStringLiteral("--profile"),
                 QStringLiteral("shoproles"), QStringLiteral("--storage"), QStringLiteral("disk")})
                .exitCode,
            0);
        const QString kept = json({QStringLiteral("set"), QStringLiteral("backup"), QStringLiteral("withroles")})
                                 .value(QStringLiteral("setId"))
                                 .toString();
        const QJsonObject checked = json(restoreArgs(kept));
        QCOMPARE(checked.value(QStringLiteral("status")).toString(), QStringLiteral("CHECKED"));
        QVERIFY(!dbExists(fresh));
    }

    void productionTargetGetsItsSafetyBackup() {
        const QString setId = json({QStringLiteral("set"), QStringLiteral("backup"), QStringLiteral("shop")})
                                  .value(QStringLiteral("setId"))
                                  .toString();
        const QString prod = m_db + QStringLiteral("_prod");
        m_dropDbs << prod;
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(prod));
        TestEnv::psql(prod, QStringLiteral("CREATE TABLE orders AS SELECT 1 AS id, 'live' AS note"));
        const QString conn =
            QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
                .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), prod);
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("live"), QStringLiteral("--conninfo"),
                 conn, QStringLiteral("--production"), QStringLiteral("--storage"), QStringLiteral("disk")})
                .exitCode,
            0);
        const QJsonObject r = json({QStringLiteral("set"), QStringLiteral("restore"), setId, QStringLiteral("--target"),
                                    QStringLiteral("live"), QStringLiteral("--target-db"), prod,
                                    QStringLiteral("--clean"), QStringLiteral("--confirm"), prod,
                                    QStringLiteral("--mirror-prefix"), QStringLiteral("prod-restored")});
        QCOMPARE(r.value(QStringLiteral("status")).toString(), QStringLiteral("RESTORED"));
        QCOMPARE(rows(prod), rows(m_db));
        // The production database was backed up before it was overwritten.
        QCOMPARE(TestEnv::psql(m_catalogDb, QStringLiteral("SELECT count(*) FROM backups WHERE label = 'pre-restore "
                                                           "safety backup' AND status = 'COMPLETED' AND database_name "
                                                           "= '%1'")
                                                .arg(prod))
                     .trimmed(),
                 QStringLiteral("1"));
    }

    void scheduledCaptureRunsOnceWhenDue() {
        // "0 3 * * *" UTC: tomorrow 03:05 one run is owed, once; the capture carries the runner's time.
        const QDate tomorrow = QDateTime::currentDateTimeUtc().date().addDays(1);
        const QString asOf = QDateTime(tomorrow, QTime(3, 5), QTimeZone::utc()).toString(Qt::ISODate);
        const auto first = ctl({QStringLiteral("--json"), QStringLiteral("set"), QStringLiteral("run-due"),
                                QStringLiteral("--as-of"), asOf});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QJsonArray rows = QJsonDocument::fromJson(first.out).array();
        QCOMPARE(rows.size(), 1); // only "shop" has a schedule
        QCOMPARE(rows.at(0)[QStringLiteral("status")].toString(), QStringLiteral("COMPLETED"));
        QVERIFY(rows.at(0)[QStringLiteral("type")].toString().startsWith(QStringLiteral("DAILY")));
        const QString setId = rows.at(0)[QStringLiteral("setId")].toString();
        QCOMPARE(setId, QStringLiteral("set-shop-%1").arg(tomorrow.toString(QStringLiteral("yyyyMMdd'T'030500'Z'"))));
        QCOMPARE(
            TestEnv::psql(m_catalogDb,
                          QStringLiteral("SELECT count(*) FROM backups WHERE set_id = '%1' AND status = 'COMPLETED' "
                                         "AND type LIKE 'DAILY%'")
                              .arg(setId))
                .trimmed(),
            QStringLiteral("2"));
        // Called again (the next minute): nothing more is owed.
        const auto again =
            ctl({QStringLiteral("--json"), QStringLiteral("set"), QStringLiteral("run-due"), QStringLiteral("--as-of"),
                 QDateTime(tomorrow, QTime(3, 6), QTimeZone::utc()).toString(Qt::ISODate)});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(again.out).array().at(0)[QStringLiteral("status")].toString(),
                 QStringLiteral("not-due"));
    }

    void failedMemberFailsTheSet() {
        QCOMPARE(
            ctl({QStringLiteral("mirror"), QStringLiteral("add"), QStringLiteral("broken"), QStringLiteral("--source"),
                 QStringLiteral("nowhere"), QStringLiteral("--storage"), QStringLiteral("backup")})
                .exitCode,
            0);
        QCOMPARE(ctl({QStringLiteral("set"), QStringLiteral("add"), QStringLiteral("shaky"),
                      QStringLiteral("--profile"), QStringLiteral("shopdb"), QStringLiteral("--mirror"),
                      QStringLiteral("broken"), QStringLiteral("--storage"), QStringLiteral("disk")})
                     .exitCode,
                 0);
        const auto run =
            ctl({QStringLiteral("--json"), QStringLiteral("set"), QStringLiteral("backup"), QStringLiteral("shaky")});
        QVERIFY(run.exitCode != 0);
        const QJsonObject r = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(r.value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
        QCOMPARE(r.value(QStringLiteral("failedMember")).toString(), QStringLiteral("mirror broken"));
        const QString setId = r.value(QStringLiteral("setId")).toString();
        // The records say so: the database dump (complete) is marked as part of an incomplete set, the mirror has
        // a FAILED record.
        const QJsonArray members = r.value(QStringLiteral("members")).toArray();
        QCOMPARE(members.size(), 2);
        const QJsonObject db =
            json({QStringLiteral("show"), QString::number(members.at(0)[QStringLiteral("recordId")].toInteger())});
        QVERIFY2(db.value(QStringLiteral("error")).toString().startsWith(QStringLiteral("set incomplete: ")),
                 qPrintable(db.value(QStringLiteral("error")).toString()));
        QVERIFY(db.value(QStringLiteral("error")).toString().contains(QStringLiteral("mirror broken")));
        const QJsonObject mirror =
            json({QStringLiteral("show"), QString::number(members.at(1)[QStringLiteral("recordId")].toInteger())});
        QCOMPARE(mirror.value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
        QCOMPARE(mirror.value(QStringLiteral("setId")).toString(), setId);
        // An incomplete set is not restored as a set.
        const auto refused = ctl({QStringLiteral("set"), QStringLiteral("restore"), setId, QStringLiteral("--target"),
                                  QStringLiteral("shopdb"), QStringLiteral("--target-db"), QStringLiteral("unused"),
                                  QStringLiteral("--create")});
        QCOMPARE(refused.exitCode, 6);
        QVERIFY2(refused.err.contains("not complete"), refused.err.constData());
        // Set retention decides for the capture as a whole (young: both records kept for inspection).
        const auto pruned = ctl({QStringLiteral("--json"), QStringLiteral("set"), QStringLiteral("prune"),
                                 QStringLiteral("shaky"), QStringLiteral("--dry-run")});
        QCOMPARE(pruned.exitCode, 0);
        const QJsonArray plan = QJsonDocument::fromJson(pruned.out).array();
        QCOMPARE(plan.size(), 2);
        for (const QJsonValue &e : plan) {
            QCOMPARE(e[QStringLiteral("setId")].toString(), setId);
            QCOMPARE(e[QStringLiteral("outcome")].toString(), QStringLiteral("keep"));
            QCOMPARE(e[QStringLiteral("reason")].toString(),
                     QStringLiteral("set %1: younger than 24 h").arg(setId)); // not "newest successful": it failed
        }
    }

    void wholeApplicationWithFilesAndRedis() {
        // A real redis-server with a few keys.
        QVERIFY2(QFile::exists(QStringLiteral("/usr/bin/redis-server")), "redis-server is not installed");
        const quint16 port = freePort();
        const QString redisDir = m_tmp.filePath(QStringLiteral("redis"));
        QDir().mkpath(redisDir);
        QProcess redis;
        redis.start(QStringLiteral("/usr/bin/redis-server"),
                    {QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                     QString::number(port), QStringLiteral("--dir"), redisDir, QStringLiteral("--save"), QString(),
                     QStringLiteral("--appendonly"), QStringLiteral("no")});
        QVERIFY(redis.waitForStarted());
        const auto stopRedis = qScopeGuard([&redis] {
            redis.terminate();
            redis.waitForFinished(5000);
        });
        auto cli = [port](const QStringList &args) {
            QProcess p;
            p.start(QStringLiteral("redis-cli"), QStringList{QStringLiteral("-p"), QString::number(port)} + args);
            p.waitForFinished(20000);
            return p.readAllStandardOutput().trimmed();
        };
        for (int i = 0; i < 100 && cli({QStringLiteral("PING")}) != "PONG"; ++i)
            QTest::qWait(100);
        QCOMPARE(cli({QStringLiteral("SET"), QStringLiteral("job:1"), QStringLiteral("queued")}), QByteArray("OK"));

        // A directory of uploads.
        const QString files = m_tmp.filePath(QStringLiteral("app-files"));
        writeFile(files + QStringLiteral("/avatars/ünï.png"), "avatar bytes");
        writeFile(files + QStringLiteral("/invoices/2026/1.pdf"), QByteArray(300000, 'x'));

        QCOMPARE(ctl({QStringLiteral("files"), QStringLiteral("add"), QStringLiteral("uploads-dir"),
                      QStringLiteral("--path"), files})
                     .exitCode,
                 0);
        QCOMPARE(ctl({QStringLiteral("redis"), QStringLiteral("add"), QStringLiteral("queue"), QStringLiteral("--url"),
                      QStringLiteral("redis://127.0.0.1:%1").arg(port)})
                     .exitCode,
                 0);
        QCOMPARE(ctl({QStringLiteral("set"), QStringLiteral("add"), QStringLiteral("full"), QStringLiteral("--profile"),
                      QStringLiteral("shopdb"), QStringLiteral("--files"), QStringLiteral("uploads-dir"),
                      QStringLiteral("--mirror"), QStringLiteral("media"), QStringLiteral("--redis"),
                      QStringLiteral("queue"), QStringLiteral("--storage"), QStringLiteral("disk")})
                     .exitCode,
                 0);
        const QJsonObject b = json({QStringLiteral("set"), QStringLiteral("backup"), QStringLiteral("full")});
        QCOMPARE(b.value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
        const QString setId = b.value(QStringLiteral("setId")).toString();
        QStringList kinds;
        for (const QJsonValue &m : b.value(QStringLiteral("members")).toArray())
            kinds << m[QStringLiteral("kind")].toString();
        QCOMPARE(kinds, (QStringList{QStringLiteral("database"), QStringLiteral("mirror"), QStringLiteral("files"),
                                     QStringLiteral("redis")}));
        QCOMPARE(TestEnv::psql(m_catalogDb, QStringLiteral("SELECT count(*) FROM backups WHERE set_id = '%1' AND "
                                                           "status = 'COMPLETED'")
                                                .arg(setId))
                     .trimmed(),
                 QStringLiteral("4"));

        // A non-empty directory for the files member refuses the whole set: the new database is not created.
        const QString busy = m_tmp.filePath(QStringLiteral("busy"));
        writeFile(busy + QStringLiteral("/keep.txt"), "mine");
        const QString target = m_db + QStringLiteral("_full");
        m_dropDbs << target;
        const QStringList restoreArgs{QStringLiteral("set"),
                                      QStringLiteral("restore"),
                                      setId,
                                      QStringLiteral("--target"),
                                      QStringLiteral("shopdb"),
                                      QStringLiteral("--target-db"),
                                      target,
                                      QStringLiteral("--create"),
                                      QStringLiteral("--mirror-prefix"),
                                      QStringLiteral("full-restored")};
        QJsonObject r =
            json(restoreArgs + QStringList{QStringLiteral("--files-to"), QStringLiteral("uploads-dir=") + busy}, 6);
        QVERIFY2(r.value(QStringLiteral("error")).toString().contains(QStringLiteral("files uploads-dir")),
                 qPrintable(r.value(QStringLiteral("error")).toString()));
        QVERIFY(!dbExists(target));
        QCOMPARE(countBelow(QStringLiteral("app/full-restored/")), 0);
        QCOMPARE(readFile(busy + QStringLiteral("/keep.txt")), QByteArray("mine"));

        // Into an empty directory: every member restored; Redis comes back as guidance with the RDB's location.
        const QString restoredFiles = m_tmp.filePath(QStringLiteral("restored-files"));
        r = json(restoreArgs +
                 QStringList{QStringLiteral("--files-to"), QStringLiteral("uploads-dir=") + restoredFiles});
        QCOMPARE(r.value(QStringLiteral("status")).toString(), QStringLiteral("RESTORED"));
        QCOMPARE(rows(target), rows(m_db)); // nothing changed the source since this capture
        QCOMPARE(readFile(restoredFiles + QStringLiteral("/avatars/ünï.png")), QByteArray("avatar bytes"));
        QCOMPARE(readFile(restoredFiles + QStringLiteral("/invoices/2026/1.pdf")), QByteArray(300000, 'x'));
        QCOMPARE(get(QStringLiteral("app/full-restored/u/1.pdf")), QByteArray("PDF one"));
        const QJsonObject redisRow = r.value(QStringLiteral("members")).toArray().at(3).toObject();
        QCOMPARE(redisRow.value(QStringLiteral("status")).toString(), QStringLiteral("GUIDANCE"));
        const QString guidance = redisRow.value(QStringLiteral("guidance")).toString();
        QVERIFY2(guidance.contains(QStringLiteral("SHUTDOWN NOSAVE")) && guidance.contains(QStringLiteral("disk:")),
                 qPrintable(guidance));
        const QString rdb =
            guidance.section(QStringLiteral("stored at disk:"), 1).section(QStringLiteral(". Fetch"), 0, 0);
        QVERIFY2(QFile::exists(rdb), qPrintable(rdb));
    }

    void cleanupTestCase() {
        for (const QString &db : std::as_const(m_dropDbs))
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(db));
    }
};

QTEST_GUILESS_MAIN(TstSetCli)
#include "tst_set_cli.moc"
