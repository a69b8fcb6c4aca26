// Issue #14, "safety": no artifact runs commands on the operator's machine, the temporary pgpass line names the
// target only, the production guard knows servers, checks and tools reach the same server. Real PostgreSQL
// fixture, real psql/pg_restore/pg_dump, driven through lifeboatctl.
#include "TestEnv.h"

#include "pg/Conninfo.h"
#include "pg/PgPassFile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace lifeboat;

class TestRestoreSafety : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_home;
    int m_counter = 0;

    QString newDb(const QString &what) {
        return QStringLiteral("hc_%1_%2_%3").arg(what).arg(QCoreApplication::applicationPid()).arg(++m_counter);
    }
    QString marker() const { return m_tmp.filePath(QStringLiteral("marker")); }
    TestEnv::Run ctl(const QStringList &args, const QByteArray &in = {},
                     const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment()) {
        const TestEnv::Run r = TestEnv::ctl(m_home, args, in, env);
        if (r.exitCode != 0)
            qInfo("lifeboatctl %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        return r;
    }
    QString writeScript(const QString &name, const QByteArray &text) {
        const QString path = m_tmp.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text) != text.size())
            return {};
        return path;
    }
    QString port() const { return TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_PORT")); }
    void sql(const QString &db, const QString &text) { TestEnv::psql(db, text); }
    QString newSourceDb(const QString &what, const QString &setup) {
        const QString db = newDb(what);
        sql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(db));
        sql(db, setup);
        return db;
    }
    QJsonObject json(const TestEnv::Run &r) { return QJsonDocument::fromJson(r.out).object(); }
    bool ensureLocalStorage() {
        if (QDir(m_tmp.filePath(QStringLiteral("store"))).exists())
            return true;
        QDir().mkpath(m_tmp.filePath(QStringLiteral("store")));
        return ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("local"),
                    QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("store"))})
                   .exitCode == 0;
    }
    bool listHasCompleted(const QByteArray &listJson, const QString &profile) {
        const QJsonDocument d = QJsonDocument::fromJson(listJson);
        const QJsonArray items = d.isArray() ? d.array() : d.object().value(QStringLiteral("backups")).toArray();
        for (const QJsonValue &v : items) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("profile")).toString() == profile &&
                o.value(QStringLiteral("status")).toString() == QLatin1String("COMPLETED"))
                return true;
        }
        return false;
    }
    bool dbExists(const QString &db) {
        return TestEnv::psql(QStringLiteral("postgres"),
                             QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'").arg(db)) ==
               QLatin1String("1");
    }
    TestEnv::Run restoreFile(const QString &file, const QString &db, bool create) {
        QStringList args{QStringLiteral("restore"),     file,
                         QStringLiteral("--target"),    TestEnv::pgConninfo(QStringLiteral("postgres")),
                         QStringLiteral("--target-db"), db};
        if (create)
            args << QStringLiteral("--create");
        else
            args << QStringLiteral("--confirm") << db;
        return ctl(args);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(!TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_PORT")).isEmpty(),
                 "the pg fixture is not running");
        m_home = m_tmp.filePath(QStringLiteral("home"));
    }

    // Each meta-command a script could carry: the run is refused naming it and its line, nothing runs, nothing
    // of the script is kept.
    void metaCommandsNeverRun_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("name");
        const QByteArray m = QFile::encodeName(QDir(QDir::tempPath()).filePath(QStringLiteral("unused")));
        Q_UNUSED(m)
        QTest::newRow("shell") << QByteArray("\\! touch MARKER") << QStringLiteral("\\!");
        QTest::newRow("shell-indented") << QByteArray("   \\! touch MARKER") << QStringLiteral("\\!");
        QTest::newRow("output-pipe") << QByteArray("\\o |touch MARKER\nSELECT 1;") << QStringLiteral("\\o");
        QTest::newRow("g-pipe") << QByteArray("SELECT 1 \\g |touch MARKER") << QStringLiteral("\\g");
        QTest::newRow("copy-program") << QByteArray("\\copy (SELECT 1) TO PROGRAM 'touch MARKER'")
                                      << QStringLiteral("\\copy");
        QTest::newRow("setenv") << QByteArray("\\setenv PAGER 'touch MARKER'") << QStringLiteral("\\setenv");
        QTest::newRow("include") << QByteArray("\\i INCLUDED") << QStringLiteral("\\i");
        QTest::newRow("include-relative") << QByteArray("\\ir INCLUDED") << QStringLiteral("\\ir");
        QTest::newRow("gexec") << QByteArray("SELECT 'CREATE TABLE gexec_made (a int)' \\gexec")
                               << QStringLiteral("\\gexec");
        QTest::newRow("set-on-error-stop") << QByteArray("\\set ON_ERROR_STOP 0") << QStringLiteral("\\set");
        QTest::newRow("unset-on-error-stop") << QByteArray("\\unset ON_ERROR_STOP") << QStringLiteral("\\unset");
        QTest::newRow("connect-conninfo")
            << QByteArray("\\connect \"host=127.0.0.1 port=PORT dbname=elsewhere\"") << QStringLiteral("\\connect");
        QTest::newRow("connect-uri") << QByteArray("\\c postgresql://127.0.0.1:PORT/elsewhere")
                                     << QStringLiteral("\\c");
    }
    void metaCommandsNeverRun() {
        QFETCH(QByteArray, line);
        QFETCH(QString, name);
        QFile::remove(marker());
        // A listener standing in for "elsewhere": nothing may connect to it.
        QTcpServer elsewhere;
        QVERIFY(elsewhere.listen(QHostAddress::LocalHost));
        const QString included =
            writeScript(QStringLiteral("included.sql"), QByteArray("CREATE TABLE included_made (a int);\n"));
        line.replace("MARKER", QFile::encodeName(marker()));
        line.replace("INCLUDED", QFile::encodeName(included));
        line.replace("PORT", QByteArray::number(elsewhere.serverPort()));
        const QByteArray script = "CREATE TABLE before_cmd (a int);\nINSERT INTO before_cmd VALUES (1);\n" + line +
                                  "\nCREATE TABLE after_cmd (a int);\n";
        const QString file = writeScript(QStringLiteral("meta.sql"), script);

        // Into a new database: refused, the database this run created is gone again.
        const QString fresh = newDb(QStringLiteral("meta"));
        TestEnv::Run r = restoreFile(file, fresh, true);
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains(name.toUtf8()) && r.err.contains("line 3"), r.err.constData());
        QVERIFY(!dbExists(fresh));
        QVERIFY(!QFile::exists(marker()));
        QVERIFY(!elsewhere.waitForNewConnection(200));

        // Into an existing database: the statements before the command were not kept either.
        const QString existing = newDb(QStringLiteral("metax"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(existing));
        r = restoreFile(file, existing, false);
        QCOMPARE(r.exitCode, 6);
        QCOMPARE(TestEnv::psql(existing, QStringLiteral("SELECT count(*) FROM pg_class WHERE relname IN "
                                                        "('before_cmd', 'after_cmd', 'included_made', 'gexec_made')")),
                 QStringLiteral("0"));
        QVERIFY(!QFile::exists(marker()));
        QVERIFY(!elsewhere.waitForNewConnection(200));
    }

    // What looks like a meta-command inside strings, identifiers, dollar quotes, comments and COPY data is data.
    void backslashesInsideDataAreData() {
        QFile::remove(marker());
        QByteArray script = R"SQL(SET standard_conforming_strings = on;
CREATE TABLE t (id int, body text);
INSERT INTO t VALUES (1, 'first line
\! touch MARKER
last\');
INSERT INTO t VALUES (2, E'esc \' quote
\connect elsewhere');
CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $body$ SELECT 'x
\o |touch MARKER
' $body$;
/* a comment /* nested
\! touch MARKER */
\! touch MARKER
*/
-- \! touch MARKER
COPY t (id, body) FROM stdin;
3	\\! touch MARKER
4	x\n\\connect foo
\.
CREATE TABLE "odd
\! name" (a int);
)SQL";
        script.replace("MARKER", QFile::encodeName(marker()));
        const QString file = writeScript(QStringLiteral("data.sql"), script);
        const QString db = newDb(QStringLiteral("data"));
        const TestEnv::Run r = restoreFile(file, db, true);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!QFile::exists(marker()));
        QCOMPARE(TestEnv::psql(db, QStringLiteral("SELECT count(*) FROM t")), QStringLiteral("4"));
        QCOMPARE(TestEnv::psql(db, QStringLiteral("SELECT body FROM t WHERE id = 3")),
                 QStringLiteral("\\! touch ") + marker());
        QVERIFY(
            TestEnv::psql(db, QStringLiteral("SELECT body FROM t WHERE id = 1")).contains(QStringLiteral("\n\\! ")));
        QVERIFY(TestEnv::psql(db, QStringLiteral("SELECT f()")).contains(QStringLiteral("\\o |touch")));
        QCOMPARE(TestEnv::psql(db, QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = E'odd\\n\\\\! name'")),
                 QStringLiteral("1"));
    }

    // A plain dump made with --create (pg_dump 15.14+ also writes \restrict/\unrestrict): its \connect is not
    // followed — the session stays in the confirmed target, whose name differs from the dumped one — and its
    // database-level statements apply to the target, never to the source database of the same server.
    void createDumpRunsInTheConfirmedTarget() {
        const QString src = newDb(QStringLiteral("csrc"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(src));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("COMMENT ON DATABASE %1 IS 'from the dump'").arg(src));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("ALTER DATABASE %1 SET work_mem = '7MB'").arg(src));
        TestEnv::psql(src,
                      QStringLiteral("CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items SELECT g, "
                                     "'v' || g FROM generate_series(1, 50) g"));
        const TestEnv::Run dump =
            TestEnv::run(TestEnv::pgBin(QStringLiteral("pg_dump")),
                         {QStringLiteral("--create"), QStringLiteral("-d"), TestEnv::pgConninfo(src)});
        QCOMPARE(dump.exitCode, 0);
        QVERIFY(dump.out.contains("\\connect"));
        const QString file = writeScript(QStringLiteral("create.sql"), dump.out);
        // The source's comment is changed after dumping: the restore must not touch the source database.
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("COMMENT ON DATABASE %1 IS 'source now'").arg(src));
        const QString target = newDb(QStringLiteral("ctgt"));
        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("restore"), file,
                                    QStringLiteral("--target"), TestEnv::pgConninfo(QStringLiteral("postgres")),
                                    QStringLiteral("--target-db"), target, QStringLiteral("--create")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM items")), QStringLiteral("50"));
        QCOMPARE(TestEnv::psql(QStringLiteral("postgres"),
                               QStringLiteral("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE "
                                              "datname = '%1'")
                                   .arg(target)),
                 QStringLiteral("from the dump"));
        QCOMPARE(TestEnv::psql(QStringLiteral("postgres"),
                               QStringLiteral("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE "
                                              "datname = '%1'")
                                   .arg(src)),
                 QStringLiteral("source now"));
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SHOW work_mem")), QStringLiteral("7MB"));
        const QJsonObject out = QJsonDocument::fromJson(r.out).object();
        const QString warnings = QString::fromUtf8(
            QJsonDocument(out.value(QStringLiteral("restore")).toObject().value(QStringLiteral("warnings")).toArray())
                .toJson());
        QVERIFY2(warnings.contains(QStringLiteral("\\\\connect")), qPrintable(warnings));

        // A script switching to a second database (pg_dumpall output) is refused.
        QByteArray two = dump.out;
        two += "\\connect other_db\nCREATE TABLE in_other (a int);\n";
        const QString twoFile = writeScript(QStringLiteral("two.sql"), two);
        const QString t2 = newDb(QStringLiteral("ctwo"));
        const TestEnv::Run r2 = restoreFile(twoFile, t2, true);
        QCOMPARE(r2.exitCode, 6);
        QVERIFY(r2.err.contains("second database"));
        QVERIFY(!dbExists(t2));
    }

    // The temporary PGPASSFILE names exactly the target's host, port, database and user: libpq offers the
    // password to no other database, and not to the same server under another host spelling.
    void pgpassLineNamesOnlyTheTarget() {
        const QString db = newSourceDb(QStringLiteral("pgpass"), QStringLiteral("SELECT 1"));
        const QString other = newSourceDb(QStringLiteral("pgpassother"), QStringLiteral("SELECT 1"));
        const auto pg = TestEnv::fixture(QStringLiteral("pg"));
        Error err;
        const Conninfo target = Conninfo::parse(
            QStringLiteral("host=127.0.0.1 port=%1 user=lifeboat_user dbname=%2").arg(port(), db), &err);
        PgPassFile file;
        QVERIFY(file.create(pg.value(QStringLiteral("PG_PASSWORD")), target));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("PGPASSWORD"));
        env.insert(QStringLiteral("PGPASSFILE"), file.path());
        auto connects = [&](const QString &conninfo) {
            return TestEnv::run(TestEnv::pgBin(QStringLiteral("psql")),
                                {QStringLiteral("-X"), QStringLiteral("-w"), QStringLiteral("-At"),
                                 QStringLiteral("-d"), conninfo, QStringLiteral("-c"),
                                 QStringLiteral("SELECT current_database()")},
                                {}, env);
        };
        const TestEnv::Run ok =
            connects(QStringLiteral("host=127.0.0.1 port=%1 user=lifeboat_user dbname=%2").arg(port(), db));
        QCOMPARE(ok.exitCode, 0);
        QCOMPARE(QString::fromUtf8(ok.out).trimmed(), db);
        // Another database of the same server, and the same server spelled "localhost": no password offered.
        const TestEnv::Run otherDb =
            connects(QStringLiteral("host=127.0.0.1 port=%1 user=lifeboat_user dbname=%2").arg(port(), other));
        QVERIFY(otherDb.exitCode != 0);
        QVERIFY2(otherDb.err.contains("no password supplied"), otherDb.err.constData());
        const TestEnv::Run otherHost =
            connects(QStringLiteral("host=localhost port=%1 user=lifeboat_user dbname=%2").arg(port(), db));
        QVERIFY(otherHost.exitCode != 0);
        QVERIFY2(otherHost.err.contains("no password supplied"), otherHost.err.constData());
    }

    // PGHOST=localhost PGUSER=localhost and the password "localhost" (the compose-style "postgres/postgres" setup):
    // the secret scrub removes PGHOST/PGUSER from the tools' environment, yet pg_dump, pg_restore and psql reach
    // the server the checks reached, because every connection parameter is passed to them explicitly.
    void toolsReachTheCheckedServerWhenTheEnvironmentIsScrubbed() {
        QVERIFY(ensureLocalStorage());
        sql(QStringLiteral("postgres"),
            QStringLiteral("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                           "'localhost') THEN CREATE ROLE localhost LOGIN CREATEDB PASSWORD "
                           "'localhost'; END IF; END $$"));
        const QString src = newDb(QStringLiteral("envsrc"));
        sql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1 OWNER localhost").arg(src));
        TestEnv::run(TestEnv::pgBin(QStringLiteral("psql")),
                     {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-d"), TestEnv::pgConninfo(src),
                      QStringLiteral("-c"),
                      QStringLiteral("SET ROLE localhost; CREATE TABLE kept (id int); INSERT INTO kept SELECT "
                                     "generate_series(1, 25)")});
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGHOST"), QStringLiteral("localhost"));
        env.insert(QStringLiteral("PGPORT"), port());
        env.insert(QStringLiteral("PGUSER"), QStringLiteral("localhost"));
        env.insert(QStringLiteral("HC_DB_PASSWORD"), QStringLiteral("localhost"));
        env.remove(QStringLiteral("PGPASSWORD"));
        env.remove(QStringLiteral("PGPASSFILE"));
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("envp"), QStringLiteral("--conninfo"),
                 QStringLiteral("dbname=") + src, QStringLiteral("--storage"), QStringLiteral("local")},
                {}, env)
                .exitCode,
            0);
        // pg_dump
        const TestEnv::Run b = ctl({QStringLiteral("backup"), QStringLiteral("envp"), QStringLiteral("--secret-env"),
                                    QStringLiteral("HC_DB_PASSWORD")},
                                   {}, env);
        QCOMPARE(b.exitCode, 0);
        const QString id = QString::fromUtf8(b.out).trimmed();
        // pg_restore
        const QString restored = newDb(QStringLiteral("envrst"));
        QCOMPARE(ctl({QStringLiteral("restore"), id, QStringLiteral("--target"), QStringLiteral("dbname=postgres"),
                      QStringLiteral("--secret-env"), QStringLiteral("HC_DB_PASSWORD"), QStringLiteral("--target-db"),
                      restored, QStringLiteral("--create")},
                     {}, env)
                     .exitCode,
                 0);
        QCOMPARE(TestEnv::psql(restored, QStringLiteral("SELECT count(*) FROM kept")), QStringLiteral("25"));
        // psql
        const QString script = writeScript(QStringLiteral("env.sql"), "CREATE TABLE from_script (a int);\n");
        const QString plain = newDb(QStringLiteral("envsql"));
        QCOMPARE(ctl({QStringLiteral("restore"), script, QStringLiteral("--target"), QStringLiteral("dbname=postgres"),
                      QStringLiteral("--secret-env"), QStringLiteral("HC_DB_PASSWORD"), QStringLiteral("--target-db"),
                      plain, QStringLiteral("--create")},
                     {}, env)
                     .exitCode,
                 0);
        QCOMPARE(TestEnv::psql(plain, QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = 'from_script'")),
                 QStringLiteral("1"));
    }

    // A production profile names host=127.0.0.1; a restore target typed as postgresql://…localhost… reaches the
    // same server, so it gets the production treatment: that profile's safety backup — of every table, the
    // profile's --exclude-table list notwithstanding.
    void productionGuardKnowsServersNotSpellings() {
        QVERIFY(ensureLocalStorage());
        const QString prod = newSourceDb(QStringLiteral("prod"),
                                         QStringLiteral("CREATE TABLE orders (id int); INSERT INTO orders VALUES (1), "
                                                        "(2); CREATE TABLE excluded_log (line text); INSERT INTO "
                                                        "excluded_log VALUES ('a'), ('b'), ('c')"));
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("prodg"),
                      QStringLiteral("--conninfo"),
                      QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=%2").arg(port(), prod),
                      QStringLiteral("--production"), QStringLiteral("--storage"), QStringLiteral("local"),
                      QStringLiteral("--exclude-table"), QStringLiteral("public.excluded_log")})
                     .exitCode,
                 0);
        const QString script = writeScript(QStringLiteral("prod.sql"), "CREATE TABLE from_script (a int);\n");
        const QString uri = QStringLiteral("postgresql://postgres@localhost:%1/postgres").arg(port());
        const TestEnv::Run r =
            ctl({QStringLiteral("--json"), QStringLiteral("restore"), script, QStringLiteral("--target"), uri,
                 QStringLiteral("--target-db"), prod, QStringLiteral("--confirm"), prod});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject out = json(r);
        QVERIFY2(out.contains(QStringLiteral("safetyBackupId")), r.out.constData());
        QVERIFY(QString::fromUtf8(r.out).contains(QStringLiteral("production profile \\\"prodg\\\"")));
        // The safety backup holds the excluded table too.
        const QString sbId = QString::number(out.value(QStringLiteral("safetyBackupId")).toInteger());
        const QString back = newDb(QStringLiteral("prodback"));
        QCOMPARE(ctl({QStringLiteral("restore"), sbId, QStringLiteral("--target"),
                      TestEnv::pgConninfo(QStringLiteral("postgres")), QStringLiteral("--target-db"), back,
                      QStringLiteral("--create")})
                     .exitCode,
                 0);
        QCOMPARE(TestEnv::psql(back, QStringLiteral("SELECT count(*) FROM excluded_log")), QStringLiteral("3"));
        QCOMPARE(TestEnv::psql(back, QStringLiteral("SELECT count(*) FROM orders")), QStringLiteral("2"));

        // A target on another database of the same server is production too: skipping its safety backup needs
        // --no-safety-backup with --confirm.
        const TestEnv::Run dry = ctl({QStringLiteral("restore"), script, QStringLiteral("--target"), uri,
                                      QStringLiteral("--target-db"), prod, QStringLiteral("--no-safety-backup")});
        QCOMPARE(dry.exitCode, 6);
        QVERIFY2(dry.err.contains("production"), dry.err.constData());
        // Every database of this server would be production from now on; the later tests restore freely.
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("prodg")}).exitCode, 0);
    }

    // The guard fails closed: a production profile whose password is not stored cannot be probed, so a URI target
    // on the same server cannot be proved not to be it. Production rules apply: a typed confirmation, and a safety
    // backup of the target (before the fix: a warning, no safety backup, no confirmation beyond the usual).
    void productionGuardFailsClosed() {
        QVERIFY(ensureLocalStorage());
        // Owned by the user the target connects as, who backs it up and restores into it.
        const QString prod = newDb(QStringLiteral("closed"));
        sql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1 OWNER lifeboat_user").arg(prod));
        sql(prod, QStringLiteral("SET ROLE lifeboat_user; CREATE TABLE orders (id int); INSERT INTO orders VALUES (1), "
                                 "(2), (3)"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("PGPASSWORD"));
        env.remove(QStringLiteral("PGPASSFILE"));
        env.insert(QStringLiteral("HC_DB_PASSWORD"),
                   TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_PASSWORD")));
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("produ"),
                      QStringLiteral("--conninfo"),
                      QStringLiteral("host=127.0.0.1 port=%1 user=lifeboat_user dbname=%2").arg(port(), prod),
                      QStringLiteral("--production"), QStringLiteral("--storage"), QStringLiteral("local")},
                     {}, env)
                     .exitCode,
                 0);
        const QString script = writeScript(QStringLiteral("closed.sql"), "CREATE TABLE from_script (a int);\n");
        const QString uri = QStringLiteral("postgresql://lifeboat_user@localhost:%1/postgres").arg(port());
        const QStringList base{QStringLiteral("restore"),      script,
                               QStringLiteral("--target"),     uri,
                               QStringLiteral("--secret-env"), QStringLiteral("HC_DB_PASSWORD"),
                               QStringLiteral("--target-db"),  prod};
        // Skipping the safety backup without the typed confirmation: refused, saying why.
        const TestEnv::Run refused = ctl(base + QStringList{QStringLiteral("--no-safety-backup")}, {}, env);
        QCOMPARE(refused.exitCode, 6);
        QVERIFY2(refused.err.contains("could not prove this is not production server \"produ\""),
                 refused.err.constData());
        QCOMPARE(TestEnv::psql(prod, QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = 'from_script'")),
                 QStringLiteral("0"));
        // Confirmed: the target is backed up first, then restored.
        const TestEnv::Run r =
            ctl(QStringList{QStringLiteral("--json")} + base + QStringList{QStringLiteral("--confirm"), prod}, {}, env);
        QCOMPARE(r.exitCode, 0);
        const QJsonObject out = json(r);
        QVERIFY2(out.contains(QStringLiteral("safetyBackupId")), r.out.constData());
        QVERIFY2(r.out.contains("could not prove this is not production server"), r.out.constData());
        const QString sbId = QString::number(out.value(QStringLiteral("safetyBackupId")).toInteger());
        const QString back = newDb(QStringLiteral("closedback"));
        QCOMPARE(ctl({QStringLiteral("restore"), sbId, QStringLiteral("--target"),
                      TestEnv::pgConninfo(QStringLiteral("postgres")), QStringLiteral("--target-db"), back,
                      QStringLiteral("--create")})
                     .exitCode,
                 0);
        QCOMPARE(TestEnv::psql(back, QStringLiteral("SELECT count(*) FROM orders")), QStringLiteral("3"));
        QCOMPARE(TestEnv::psql(prod, QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = 'from_script'")),
                 QStringLiteral("1"));
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("produ")}).exitCode, 0);
    }

    // SIGTERM while the job shows the safety-backup step: the backup stops, and nothing after it happens — no
    // connection ended, no restore.
    void cancelDuringSafetyBackupStopsEverything() {
        QVERIFY(ensureLocalStorage());
        const QString prod = newSourceDb(
            QStringLiteral("cancel"),
            QStringLiteral("CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g + 1)::text) AS v FROM "
                           "generate_series(1, 1000000) g; CREATE TABLE sentinel (v text); INSERT INTO sentinel "
                           "VALUES ('before')"));
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("prodc"),
                      QStringLiteral("--conninfo"), TestEnv::pgConninfo(prod), QStringLiteral("--production"),
                      QStringLiteral("--storage"), QStringLiteral("local")})
                     .exitCode,
                 0);
        // A session that --terminate-connections would end, if the restore got that far.
        QProcess idle;
        idle.start(TestEnv::pgBin(QStringLiteral("psql")),
                   {QStringLiteral("-X"), QStringLiteral("-d"),
                    TestEnv::pgConninfo(prod) + QStringLiteral(" application_name=hc_idle"), QStringLiteral("-c"),
                    QStringLiteral("SELECT pg_sleep(600)")});
        QVERIFY(idle.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(
            TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE "
                                                                     "application_name = 'hc_idle'")),
            QStringLiteral("1"), 20000);
        const QString script = writeScript(QStringLiteral("cancel.sql"),
                                           "CREATE TABLE from_script (a int);\nUPDATE sentinel SET v = 'after';\n");
        QProcess run;
        run.start(TestEnv::lifeboatctl(),
                  {QStringLiteral("--home"), m_home, QStringLiteral("restore"), script, QStringLiteral("--target"),
                   QStringLiteral("prodc"), QStringLiteral("--target-db"), prod, QStringLiteral("--confirm"), prod,
                   QStringLiteral("--terminate-connections")});
        QVERIFY(run.waitForStarted());
        QByteArray err;
        QElapsedTimer clock;
        clock.start();
        while (!err.contains("[safety backup]") && clock.elapsed() < 120000 && run.state() == QProcess::Running) {
            run.waitForReadyRead(50);
            err += run.readAllStandardError();
        }
        QVERIFY2(err.contains("[safety backup]"), err.constData());
        ::kill(pid_t(run.processId()), SIGTERM);
        QVERIFY(run.waitForFinished(60000));
        err += run.readAllStandardError();
        QCOMPARE(run.exitCode(), 5);
        QVERIFY2(!err.contains("[restoring]") && err.contains("cancelled"), err.constData());
        // Nothing after the safety backup happened.
        QCOMPARE(TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("SELECT count(*) FROM pg_stat_activity "
                                                                          "WHERE application_name = 'hc_idle'")),
                 QStringLiteral("1"));
        QCOMPARE(TestEnv::psql(prod, QStringLiteral("SELECT v FROM sentinel")), QStringLiteral("before"));
        QCOMPARE(TestEnv::psql(prod, QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = 'from_script'")),
                 QStringLiteral("0"));
        // The safety backup did not complete: no COMPLETED record of it.
        const TestEnv::Run list = ctl({QStringLiteral("--json"), QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(!listHasCompleted(list.out, QStringLiteral("prodc")), list.out.constData());
        idle.kill();
        idle.waitForFinished();
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("prodc")}).exitCode, 0);
    }

    // verify quotes every identifier itself: names with \x01, quotes, backslashes and newlines.
    void verifyQuotesOddIdentifiers() {
        QVERIFY(ensureLocalStorage());
        const QString db = newDb(QStringLiteral("odd"));
        sql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(db));
        const QString setup =
            QString::fromUtf8("CREATE TABLE \"pa\x01r\"\"e\\nt\" (\"k\x01\"\"q\\b\nn\" int, \"k2\" int, PRIMARY KEY "
                              "(\"k\x01\"\"q\\b\nn\", "
                              "\"k2\"));"
                              "CREATE TABLE \"ch\nild\" (id int, \"r\x01\"\"q\\b\nn\" int, \"r2\x01\" int, FOREIGN KEY "
                              "(\"r\x01\"\"q\\b\nn\", "
                              "\"r2\x01\") REFERENCES \"pa\x01r\"\"e\\nt\");"
                              "INSERT INTO \"pa\x01r\"\"e\\nt\" VALUES (1, 1), (2, 2);"
                              "INSERT INTO \"ch\nild\" VALUES (1, 1, 1), (2, 2, 2), (3, NULL, NULL);");
        const TestEnv::Run made =
            TestEnv::run(TestEnv::pgBin(QStringLiteral("psql")),
                         {QStringLiteral("-X"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
                          QStringLiteral("-d"), TestEnv::pgConninfo(db), QStringLiteral("-c"), setup});
        QVERIFY2(made.exitCode == 0, made.err.constData());
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("odd"), QStringLiteral("--conninfo"),
                 TestEnv::pgConninfo(db), QStringLiteral("--storage"), QStringLiteral("local")})
                .exitCode,
            0);
        const TestEnv::Run b = ctl({QStringLiteral("backup"), QStringLiteral("odd")});
        QCOMPARE(b.exitCode, 0);
        const TestEnv::Run v =
            ctl({QStringLiteral("--json"), QStringLiteral("verify"), QString::fromUtf8(b.out).trimmed(),
                 QStringLiteral("--target"), TestEnv::pgConninfo(QStringLiteral("postgres"))});
        QCOMPARE(v.exitCode, 0);
        bool sawFk = false;
        for (const QJsonValue &c : json(v).value(QStringLiteral("checks")).toArray()) {
            const QJsonObject o = c.toObject();
            if (o.value(QStringLiteral("id")).toString() != QLatin1String("foreign-keys"))
                continue;
            sawFk = true;
            QVERIFY2(o.value(QStringLiteral("outcome")).toString() == QLatin1String("passed"), v.out.constData());
            const QJsonArray rows = o.value(QStringLiteral("items")).toArray();
            QCOMPARE(rows.size(), 1);
            QCOMPARE(rows.first().toObject().value(QStringLiteral("orphans")).toInteger(), 0);
        }
        QVERIFY2(sawFk, v.out.constData());
    }

    // `lifeboatctl restore` counts the restored rows against the manifest, reports them (also --json) and exits
    // 4 when they differ.
    void restoreChecksRowCounts() {
        QVERIFY(ensureLocalStorage());
        const QString db = newSourceDb(QStringLiteral("rows"),
                                       QStringLiteral("CREATE TABLE a (id int); INSERT INTO a SELECT "
                                                      "generate_series(1, 40); CREATE TABLE b (id int); INSERT INTO b "
                                                      "VALUES (1)"));
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("rows"), QStringLiteral("--conninfo"),
                 TestEnv::pgConninfo(db), QStringLiteral("--storage"), QStringLiteral("local")})
                .exitCode,
            0);
        const TestEnv::Run b = ctl({QStringLiteral("backup"), QStringLiteral("rows")});
        QCOMPARE(b.exitCode, 0);
        const QString id = QString::fromUtf8(b.out).trimmed();
        const QString target = newDb(QStringLiteral("rowst"));
        TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("restore"), id, QStringLiteral("--target"),
                              TestEnv::pgConninfo(QStringLiteral("postgres")), QStringLiteral("--target-db"), target,
                              QStringLiteral("--create")});
        QCOMPARE(r.exitCode, 0);
        QJsonObject counts = json(r).value(QStringLiteral("rowCounts")).toObject();
        QVERIFY2(counts.value(QStringLiteral("passed")).toBool(), r.out.constData());
        QCOMPARE(counts.value(QStringLiteral("tables")).toArray().size(), 2);
        // The same table's data restored a second time into the existing database doubles its rows: exit 4.
        r = ctl({QStringLiteral("restore"), id, QStringLiteral("--target"),
                 TestEnv::pgConninfo(QStringLiteral("postgres")), QStringLiteral("--target-db"), target,
                 QStringLiteral("--data-only"), QStringLiteral("--tables"), QStringLiteral("public.a"),
                 QStringLiteral("--confirm"), target});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains("Row counts against the manifest") && r.err.contains("public.a: expected 40 rows, the "
                                                                                     "target has 80"),
                 r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestRestoreSafety)
#include "tst_restore_safety.moc"
