// lifeboatctl backup end to end against a real PostgreSQL cluster (the pg fixture): artifacts, manifests and
// catalog agree; every bad input of issue 2 gets its exit code and loses nothing; cancel and kill leave no
// partial file and an honest record; the password never reaches a child's argv or environment.
#include "ProcTree.h"
#include "TestEnv.h"

#include "catalog/ConfigStore.h"
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
#include <unistd.h>

using namespace lifeboat;
using namespace proctree;

namespace {
QByteArray fileSha(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    Sha256 h;
    while (!f.atEnd())
        h.add(f.read(1 << 20));
    return h.finalHex();
}

QStringList filesBelow(const QString &dir) {
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    return out;
}
} // namespace

class TstBackupCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_store;
    QString m_db;
    QString m_bigDb;
    QHash<QString, QString> m_pg;

    TestEnv::Run ctl(const QStringList &args, const QByteArray &in = {}) { return TestEnv::ctl(m_home, args, in); }
    QJsonObject ctlJson(const QStringList &args, int expectExit = 0, const QByteArray &in = {}) {
        const auto r = ctl(QStringList{QStringLiteral("--json")} + args, in);
        if (r.exitCode != expectExit)
            qWarning("lifeboatctl %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode,
                     r.err.constData());
        [&] { QCOMPARE(r.exitCode, expectExit); }();
        return QJsonDocument::fromJson(r.out).object();
    }
    QString su(const QString &db) const {
        return QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
            .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), db);
    }
    void addProfile(const QString &name, const QString &conninfo, const QStringList &extra = {}) {
        const auto r = ctl(QStringList{QStringLiteral("profile"), QStringLiteral("add"), name,
                                       QStringLiteral("--conninfo"), conninfo} +
                           extra);
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    void setOption(const QString &key, const QString &value) {
        ConfigStore cfg(m_home + QStringLiteral("/config.json"));
        QString err;
        QVERIFY(cfg.load(&err));
        cfg.setOption(key, value);
        QVERIFY(cfg.save(&err));
    }
    QJsonObject record(qint64 id) { return ctlJson({QStringLiteral("show"), QString::number(id)}); }
    // The archive inside a Lifeboat .zst artifact, by the stock zstd CLI (as an operator without Lifeboat would).
    QString unzstd(const QString &path) {
        const QString out = m_tmp.filePath(QFileInfo(path).completeBaseName() + QStringLiteral(".unpacked"));
        const auto r = TestEnv::run(QStringLiteral("zstd"), {QStringLiteral("-q"), QStringLiteral("-d"),
                                                             QStringLiteral("-f"), path, QStringLiteral("-o"), out});
        return r.exitCode == 0 ? out : QString();
    }
    QJsonArray records(const QStringList &filters = {}) {
        const auto r = ctl(QStringList{QStringLiteral("--json"), QStringLiteral("list")} + filters);
        return QJsonDocument::fromJson(r.out).array();
    }

    // Starts a long backup of the big database asynchronously and returns once pg_dump runs under it.
    qint64 startLongBackup(QProcess &proc, const QString &profile = QStringLiteral("big")) {
        proc.setProgram(TestEnv::lifeboatctl());
        proc.setArguments({QStringLiteral("--home"), m_home, QStringLiteral("backup"), profile});
        proc.start();
        if (!proc.waitForStarted())
            return 0;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 30000) {
            // The dumping pg_dump, not the short-lived `pg_dump --version` probe of the tool locator.
            for (qint64 c : descendants(proc.processId())) {
                if (procComm(c) == QLatin1String("pg_dump") && procFile(c, "cmdline").contains("--snapshot"))
                    return c;
            }
            QThread::msleep(5);
        }
        return 0;
    }

private slots:
    void initTestCase() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        QVERIFY2(!m_pg.isEmpty(), "the pg fixture is not running");
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_store = m_tmp.filePath(QStringLiteral("store"));
        m_db = QStringLiteral("lb_backup_%1").arg(QRandomGenerator::global()->bounded(1000000));
        m_bigDb = m_db + QStringLiteral("_big");
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(
            m_db, QStringLiteral("CREATE SCHEMA \"Sales Ünit\";"
                                 "CREATE TABLE customers (id serial PRIMARY KEY, name text);"
                                 "INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 1234) g;"
                                 "CREATE TABLE \"Order Items\" (id int, customer int REFERENCES customers(id));"
                                 "INSERT INTO \"Order Items\" SELECT g, 1 + g % 1234 FROM generate_series(1, 4321) g;"
                                 "CREATE TABLE \"Sales Ünit\".\"Ledger\" (x int);"
                                 "INSERT INTO \"Sales Ünit\".\"Ledger\" SELECT g FROM generate_series(1, 77) g;"
                                 "CREATE TABLE _prisma_migrations (id text);"
                                 "INSERT INTO _prisma_migrations VALUES ('m1');"
                                 "GRANT USAGE ON SCHEMA \"Sales Ünit\" TO lifeboat_user;"
                                 "GRANT SELECT ON ALL TABLES IN SCHEMA public, \"Sales Ünit\" TO lifeboat_user;"
                                 "GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO lifeboat_user;"));
        // Big enough that pg_dump runs for a few seconds: time to cancel, kill and watch it.
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_bigDb));
        TestEnv::psql(m_bigDb,
                      QStringLiteral("CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS a, "
                                     "md5((g * 13)::text) AS b FROM generate_series(1, 1500000) g;"
                                     "GRANT SELECT ON big TO lifeboat_user;"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_store})
                     .exitCode,
                 0);
        addProfile(QStringLiteral("su"), su(m_db),
                   {QStringLiteral("--storage"), QStringLiteral("disk"), QStringLiteral("--exclude-table"),
                    QStringLiteral("_prisma_migrations")});
        addProfile(QStringLiteral("big"), su(m_bigDb), {QStringLiteral("--storage"), QStringLiteral("disk")});
    }

    void backupArtifactMatchesManifestAndCatalog() {
        const QJsonObject out = ctlJson(
            {QStringLiteral("backup"), QStringLiteral("su"), QStringLiteral("--label"), QStringLiteral("first")});
        const qint64 id = out.value(QStringLiteral("id")).toInteger();
        QVERIFY(id > 0);
        const QJsonObject rec = record(id);
        QCOMPARE(rec.value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
        const QString path = rec.value(QStringLiteral("locations"))
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(QStringLiteral("path"))
                                 .toString();
        QVERIFY(QFile::exists(path));
        QVERIFY(path.startsWith(m_store + QStringLiteral("/manual/")));
        QVERIFY(path.endsWith(QStringLiteral(".dump.zst"))); // the default: compressed by Lifeboat (zstd)
        QVERIFY(!QFile::exists(path + QStringLiteral(".partial")));
        QVERIFY(rec.value(QStringLiteral("compression")).toString().startsWith(QLatin1String("zstd:")));

        QFile mf(path + QStringLiteral(".manifest.json"));
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QJsonObject manifest = QJsonDocument::fromJson(mf.readAll()).object();
        const QByteArray actual = fileSha(path);
        QCOMPARE(rec.value(QStringLiteral("sha256")).toString().toLatin1(), actual);
        QCOMPARE(manifest.value(QStringLiteral("sha256")).toString().toLatin1(), actual);
        QCOMPARE(manifest.value(QStringLiteral("size")).toInteger(), QFileInfo(path).size());
        QCOMPARE(manifest.value(QStringLiteral("label")).toString(), QStringLiteral("first"));
        QCOMPARE(manifest.value(QStringLiteral("database")).toString(), m_db);
        // The one project version (CMake project(VERSION)) is stamped on every manifest.
        QCOMPARE(manifest.value(QStringLiteral("toolVersion")).toString(), QStringLiteral(LIFEBOAT_VERSION));

        // Row counts equal the source's; the always-excluded table is neither counted nor dumped.
        QHash<QString, qint64> rows;
        for (const auto &t : manifest.value(QStringLiteral("tables")).toArray())
            rows.insert(t.toObject().value(QStringLiteral("schema")).toString() + QLatin1Char('.') +
                            t.toObject().value(QStringLiteral("name")).toString(),
                        t.toObject().value(QStringLiteral("rows")).toInteger());
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows.value(QStringLiteral("public.customers")),
                 TestEnv::psql(m_db, QStringLiteral("SELECT count(*) FROM customers")).toLongLong());
        QCOMPARE(rows.value(QStringLiteral("public.Order Items")), 4321);
        QCOMPARE(rows.value(QStringLiteral("Sales Ünit.Ledger")), 77);
        QVERIFY(!rows.contains(QStringLiteral("public._prisma_migrations")));

        QCOMPARE(manifest.value(QStringLiteral("compression")).toString(), rec.value(QStringLiteral("compression")));
        const QString archive = unzstd(path);
        QVERIFY(!archive.isEmpty());
        const auto list =
            TestEnv::run(TestEnv::pgBin(QStringLiteral("pg_restore")), {QStringLiteral("--list"), archive});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains("TABLE DATA public Order Items"));
        QVERIFY(!list.out.contains("_prisma_migrations"));
        // No secret-shaped field in the manifest.
        QVERIFY(!manifest.contains(QStringLiteral("password")));
        QVERIFY(!manifest.value(QStringLiteral("host")).toString().contains(QStringLiteral("password")));
    }

    void plainGzipAndDirectoryFormats() {
        const QJsonObject plain =
            ctlJson({QStringLiteral("backup"), QStringLiteral("su"), QStringLiteral("--format"),
                     QStringLiteral("plain"), QStringLiteral("--compress"), QStringLiteral("gzip:9")});
        const QString plainPath = record(plain.value(QStringLiteral("id")).toInteger())
                                      .value(QStringLiteral("locations"))
                                      .toArray()
                                      .first()
                                      .toObject()
                                      .value(QStringLiteral("path"))
                                      .toString();
        QVERIFY(plainPath.endsWith(QStringLiteral(".sql.gz")));
        const auto gz = TestEnv::run(QStringLiteral("gzip"), {QStringLiteral("-dc"), plainPath});
        QCOMPARE(gz.exitCode, 0);
        QVERIFY(gz.out.contains("CREATE TABLE public.customers"));
        QVERIFY(gz.out.contains("COPY \"Sales Ünit\".\"Ledger\""));

        const QJsonObject dir = ctlJson({QStringLiteral("backup"), QStringLiteral("su"), QStringLiteral("--format"),
                                         QStringLiteral("directory"), QStringLiteral("--jobs"), QStringLiteral("2")});
        const QString tarPath = record(dir.value(QStringLiteral("id")).toInteger())
                                    .value(QStringLiteral("locations"))
                                    .toArray()
                                    .first()
                                    .toObject()
                                    .value(QStringLiteral("path"))
                                    .toString();
        QVERIFY(tarPath.endsWith(QStringLiteral(".tar.zst")));
        QTemporaryDir x;
        QCOMPARE(TestEnv::run(QStringLiteral("tar"),
                              {QStringLiteral("-xf"), unzstd(tarPath), QStringLiteral("-C"), x.path()})
                     .exitCode,
                 0);
        QVERIFY(QFile::exists(x.filePath(QStringLiteral("toc.dat"))));
        const auto list =
            TestEnv::run(TestEnv::pgBin(QStringLiteral("pg_restore")), {QStringLiteral("--list"), x.path()});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains("TABLE DATA public customers"));
    }

    void selectedTablesOnly() {
        const QJsonObject out = ctlJson({QStringLiteral("backup"), QStringLiteral("su"), QStringLiteral("--tables"),
                                         QStringLiteral("public.Order Items")});
        const QString path = record(out.value(QStringLiteral("id")).toInteger())
                                 .value(QStringLiteral("locations"))
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(QStringLiteral("path"))
                                 .toString();
        QFile mf(path + QStringLiteral(".manifest.json"));
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QJsonArray tables =
            QJsonDocument::fromJson(mf.readAll()).object().value(QStringLiteral("tables")).toArray();
        QCOMPARE(tables.size(), 1);
        QCOMPARE(tables.first().toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Order Items"));
        const auto list =
            TestEnv::run(TestEnv::pgBin(QStringLiteral("pg_restore")), {QStringLiteral("--list"), unzstd(path)});
        QVERIFY(list.out.contains("TABLE DATA public Order Items"));
        QVERIFY(!list.out.contains("TABLE DATA public customers"));
    }

    void twoBackupsInOneSecondGetDistinctNames() {
        // Back to back, so the second lands in the same second often enough; either way both must survive intact.
        QStringList paths;
        for (int i = 0; i < 3; ++i) {
            const QJsonObject out = ctlJson({QStringLiteral("backup"), QStringLiteral("su"), QStringLiteral("--tables"),
                                             QStringLiteral("public.customers")});
            paths << record(out.value(QStringLiteral("id")).toInteger())
                         .value(QStringLiteral("locations"))
                         .toArray()
                         .first()
                         .toObject()
                         .value(QStringLiteral("path"))
                         .toString();
        }
        QCOMPARE(QSet<QString>(paths.begin(), paths.end()).size(), 3);
        for (const QString &p : paths)
            QVERIFY(QFile::exists(p));
    }

    void badInputsGetClearErrorsAndLeaveNothing() {
        const int before = static_cast<int>(filesBelow(m_store).size());
        auto expect = [&](const QStringList &args, int code, const QString &needle, const QByteArray &in = {}) {
            const auto r = ctl(args, in);
            QVERIFY2(r.exitCode == code, qPrintable(QStringLiteral("%1 -> %2 (want %3): %4")
                                                        .arg(args.join(QLatin1Char(' ')))
                                                        .arg(r.exitCode)
                                                        .arg(code)
                                                        .arg(QString::fromUtf8(r.err))));
            QVERIFY2(QString::fromUtf8(r.err).contains(needle),
                     qPrintable(QStringLiteral("'%1' not in: %2").arg(needle, QString::fromUtf8(r.err))));
        };
        expect({QStringLiteral("backup"), QStringLiteral("nope")}, 3, QStringLiteral("unknown profile \"nope\""));

        addProfile(QStringLiteral("unreachable"),
                   QStringLiteral("host=127.0.0.1 port=1 user=postgres dbname=x connect_timeout=3"),
                   {QStringLiteral("--storage"), QStringLiteral("disk")});
        expect({QStringLiteral("backup"), QStringLiteral("unreachable")}, 1, QStringLiteral("127.0.0.1:1"));

        addProfile(QStringLiteral("pw"),
                   QStringLiteral("host=%1 port=%2 user=lifeboat_user dbname=%3")
                       .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), m_db),
                   {QStringLiteral("--storage"), QStringLiteral("disk")});
        expect({QStringLiteral("backup"), QStringLiteral("pw"), QStringLiteral("--password-stdin")}, 1,
               QStringLiteral("password authentication failed"), "wrong-password\n");

        addProfile(QStringLiteral("nodb"), su(QStringLiteral("no_such_db_xyz")),
                   {QStringLiteral("--storage"), QStringLiteral("disk")});
        expect({QStringLiteral("backup"), QStringLiteral("nodb")}, 1, QStringLiteral("no_such_db_xyz"));

        expect(
            {QStringLiteral("backup"), QStringLiteral("su"), QStringLiteral("--tables"), QStringLiteral("public.nope")},
            1, QStringLiteral("matches nothing"));
        // pg_dump's own zstd needs pg_dump 16 (the fixture's is 15); Lifeboat's zstd works with any.
        expect(
            {QStringLiteral("backup"), QStringLiteral("su"), QStringLiteral("--compress"), QStringLiteral("pg:zstd")},
            3, QStringLiteral("pg_dump 16"));
        expect(
            {QStringLiteral("backup"), QStringLiteral("su"), QStringLiteral("--compress"), QStringLiteral("zstd:99")},
            3, QStringLiteral("1-19"));

        // pg_dump missing, then only an older client than the server: the tool directory setting points there.
        QTemporaryDir tools;
        setOption(QStringLiteral("pgToolDir"), tools.path());
        expect({QStringLiteral("backup"), QStringLiteral("su")}, 3, QStringLiteral("pg_dump was not found"));
        // The only PostgreSQL here is 15, so an older pg_dump can't be installed for real: a script answers --version.
        QFile old(tools.filePath(QStringLiteral("pg_dump")));
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("#!/bin/sh\necho 'pg_dump (PostgreSQL) 13.14'\n");
        old.close();
        old.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        expect({QStringLiteral("backup"), QStringLiteral("su")}, 3, QStringLiteral("13.14"));
        setOption(QStringLiteral("pgToolDir"), QString());

        // Output directory not writable: its path is now a regular file.
        const QString blocked = m_tmp.filePath(QStringLiteral("blocked"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("blocked"),
                      QStringLiteral("--local"), blocked})
                     .exitCode,
                 0);
        QDir(blocked).removeRecursively();
        QFile asFile(blocked);
        QVERIFY(asFile.open(QIODevice::WriteOnly));
        asFile.close();
        expect({QStringLiteral("backup"), QStringLiteral("su"), QStringLiteral("--storage"), QStringLiteral("blocked")},
               3, QStringLiteral("not writable"));

        QCOMPARE(filesBelow(m_store).size(), before); // nothing written by any of them
        // Connection failures happen before a record exists; a dump failure leaves an honest FAILED record.
        const QJsonArray failed = records({QStringLiteral("--status"), QStringLiteral("FAILED")});
        for (const auto &v : failed)
            QVERIFY(!v.toObject().value(QStringLiteral("error")).toString().isEmpty());
        QCOMPARE(records({QStringLiteral("--status"), QStringLiteral("IN_PROGRESS")}).size(), 0);
    }

    void passwordNeverInChildArgvOrEnvironment() {
        addProfile(QStringLiteral("pwbig"),
                   QStringLiteral("host=%1 port=%2 user=lifeboat_user dbname=%3")
                       .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), m_bigDb),
                   {QStringLiteral("--storage"), QStringLiteral("disk")});
        const QByteArray password = m_pg.value(QStringLiteral("PG_PASSWORD")).toUtf8();
        QVERIFY(!password.isEmpty());
        QProcess proc;
        proc.setProgram(TestEnv::lifeboatctl());
        proc.setArguments({QStringLiteral("--home"), m_home, QStringLiteral("--json"), QStringLiteral("backup"),
                           QStringLiteral("pwbig"), QStringLiteral("--password-stdin")});
        proc.start();
        QVERIFY(proc.waitForStarted());
        proc.write(password + '\n');
        proc.closeWriteChannel();
        int inspected = 0;
        bool sawPgDump = false;
        while (proc.state() != QProcess::NotRunning) {
            QList<qint64> pids = descendants(proc.processId());
            pids << proc.processId();
            for (qint64 pid : pids) {
                const QByteArray cmdline = procFile(pid, "cmdline");
                const QByteArray environ = procFile(pid, "environ");
                if (cmdline.isEmpty())
                    continue;
                ++inspected;
                sawPgDump |= procComm(pid) == QLatin1String("pg_dump");
                QVERIFY2(!cmdline.contains(password), "password in a command line");
                QVERIFY2(!environ.contains(password), "password in an environment");
            }
            proc.waitForFinished(10);
        }
        QCOMPARE(proc.exitCode(), 0);
        QVERIFY2(sawPgDump, "pg_dump was never seen running: the check inspected nothing real");
        QVERIFY(inspected > 0);
        // The temporary PGPASSFILE is gone.
        QDir tmp(QDir::tempPath());
        QVERIFY(tmp.entryList({QStringLiteral("lifeboat-pgpass-*")}).isEmpty());
        // Nor is it in the catalog or the manifest.
        QFile cat(m_home + QStringLiteral("/catalog.sqlite"));
        QVERIFY(cat.open(QIODevice::ReadOnly));
        QVERIFY(!cat.readAll().contains(password));
        for (const QString &f : filesBelow(m_store)) {
            if (f.endsWith(QStringLiteral(".json"))) {
                QFile m(f);
                QVERIFY(m.open(QIODevice::ReadOnly));
                QVERIFY(!m.readAll().contains(password));
            }
        }
    }

    void cancelMidDumpLeavesNothing() {
        const int before = static_cast<int>(filesBelow(m_store).size());
        QProcess proc;
        QVERIFY(startLongBackup(proc) > 0);
        QThread::msleep(300);
        ::kill(static_cast<pid_t>(proc.processId()), SIGINT);
        QVERIFY(proc.waitForFinished(60000));
        QCOMPARE(proc.exitCode(), 5);
        QCOMPARE(filesBelow(m_store).size(), before);
        const QJsonArray cancelled = records({QStringLiteral("--status"), QStringLiteral("CANCELLED")});
        QCOMPARE(cancelled.size(), 1);
        QVERIFY(cancelled.first().toObject().value(QStringLiteral("locations")).toArray().isEmpty());
    }

    void killedPgDumpFailsTheBackup() {
        const int before = static_cast<int>(filesBelow(m_store).size());
        QProcess proc;
        const qint64 pgDump = startLongBackup(proc);
        QVERIFY(pgDump > 0);
        QThread::msleep(300);
        ::kill(static_cast<pid_t>(pgDump), SIGKILL);
        QVERIFY(proc.waitForFinished(60000));
        QCOMPARE(proc.exitCode(), 1);
        QVERIFY2(proc.readAllStandardError().contains("killed"), "the error should say pg_dump was killed");
        QCOMPARE(filesBelow(m_store).size(), before);
        const QJsonArray failed = records(
            {QStringLiteral("--status"), QStringLiteral("FAILED"), QStringLiteral("--profile"), QStringLiteral("big")});
        QCOMPARE(failed.size(), 1);
    }

    void interruptedRunIsRecordedAsFailed() {
        QProcess proc;
        QVERIFY(startLongBackup(proc) > 0);
        ::kill(static_cast<pid_t>(proc.processId()), SIGKILL); // power loss, as far as the catalog can tell
        QVERIFY(proc.waitForFinished(10000));
        QThread::msleep(500); // pg_dump notices its closed stdout and exits
        const QJsonArray failed = records(
            {QStringLiteral("--status"), QStringLiteral("FAILED"), QStringLiteral("--profile"), QStringLiteral("big")});
        QCOMPARE(failed.size(), 2);
        QVERIFY(failed.first()
                    .toObject()
                    .value(QStringLiteral("error"))
                    .toString()
                    .contains(QStringLiteral("interrupted")));
        QCOMPARE(records({QStringLiteral("--status"), QStringLiteral("IN_PROGRESS")}).size(), 0);
        // Its .partial is never under the final name.
        for (const QString &f : filesBelow(m_store))
            QVERIFY2(f.endsWith(QStringLiteral(".partial")) || QFile::exists(f + QStringLiteral(".manifest.json")) ||
                         f.endsWith(QStringLiteral(".manifest.json")),
                     qPrintable(f));
        for (const QString &f : filesBelow(m_store))
            if (f.endsWith(QStringLiteral(".partial")))
                QFile::remove(f);
    }

    void diskFullAndFreeSpaceRefusal() {
        if (::geteuid() != 0)
            QSKIP("needs root to mount a small tmpfs (CI runs as root); a real full disk can't be faked here");
        const QString mnt = m_tmp.filePath(QStringLiteral("tiny"));
        QDir().mkpath(mnt);
        const QString db = m_db + QStringLiteral("_rand");
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(db));
        // ~8 MB of random bytes: the dump hardly compresses, the estimate (half of the table size) fits in 6 MB.
        TestEnv::psql(
            db, QStringLiteral("CREATE TABLE r AS SELECT g, decode(string_agg(md5(random()::text), ''), 'hex') AS b "
                               "FROM generate_series(1, 4000) g, generate_series(1, 128) k GROUP BY g"));
        addProfile(QStringLiteral("rand"), su(db));
        QCOMPARE(
            TestEnv::run(QStringLiteral("mount"), {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                                                   QStringLiteral("size=6m"), QStringLiteral("tmpfs"), mnt})
                .exitCode,
            0);
        auto unmount = qScopeGuard([&] { TestEnv::run(QStringLiteral("umount"), {mnt}); });
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("tiny"),
                      QStringLiteral("--local"), mnt + QStringLiteral("/b")})
                     .exitCode,
                 0);
        const auto r = ctl(
            {QStringLiteral("backup"), QStringLiteral("rand"), QStringLiteral("--storage"), QStringLiteral("tiny")});
        QVERIFY2(r.exitCode == 1, r.err.constData());
        QVERIFY2(r.err.contains("No space left") || r.err.contains("failed"), r.err.constData());
        QVERIFY(filesBelow(mnt).isEmpty()); // the partial is gone
        const QJsonArray failed = records({QStringLiteral("--status"), QStringLiteral("FAILED"),
                                           QStringLiteral("--profile"), QStringLiteral("rand")});
        QCOMPARE(failed.size(), 1);

        // Free-space check before start: an uncompressed dump of it clearly can't fit; refused, no record at all.
        const auto refused =
            ctl({QStringLiteral("backup"), QStringLiteral("big"), QStringLiteral("--storage"), QStringLiteral("tiny")});
        QVERIFY2(refused.exitCode == 6, refused.err.constData());
        QVERIFY(refused.err.contains("not enough free space"));
        QCOMPARE(records({QStringLiteral("--profile"), QStringLiteral("big"), QStringLiteral("--status"),
                          QStringLiteral("COMPLETED")})
                     .size(),
                 0);
        QVERIFY(filesBelow(mnt).isEmpty());
    }

    void downloadVerifiesAndDeleteRules() {
        const QJsonObject out = ctlJson({QStringLiteral("backup"), QStringLiteral("su")});
        const qint64 id = out.value(QStringLiteral("id")).toInteger();
        const QString path = record(id)
                                 .value(QStringLiteral("locations"))
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(QStringLiteral("path"))
                                 .toString();
        QTemporaryDir dl;
        const QJsonObject got =
            ctlJson({QStringLiteral("download"), QString::number(id), QStringLiteral("--to"), dl.path()});
        QCOMPARE(fileSha(got.value(QStringLiteral("path")).toString()), fileSha(path));

        // A damaged stored copy: the download fails with 4 and leaves nothing behind.
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(f.size() / 2);
        const char c = f.peek(1).at(0);
        f.write(QByteArray(1, char(c ^ 0x55)));
        f.close();
        QTemporaryDir dl2;
        const auto bad = ctl({QStringLiteral("download"), QString::number(id), QStringLiteral("--to"), dl2.path()});
        QCOMPARE(bad.exitCode, 4);
        QVERIFY(bad.err.contains("checksum mismatch"));
        QVERIFY(filesBelow(dl2.path()).isEmpty());

        // Younger than 24 h: refused without --force.
        const auto refused = ctl({QStringLiteral("delete"), QString::number(id)});
        QCOMPARE(refused.exitCode, 6);
        QVERIFY(QFile::exists(path));
        QCOMPARE(ctl({QStringLiteral("delete"), QString::number(id), QStringLiteral("--force")}).exitCode, 0);
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(path + QStringLiteral(".manifest.json")));
        QCOMPARE(record(id).value(QStringLiteral("status")).toString(), QStringLiteral("DELETED"));
        QCOMPARE(ctl({QStringLiteral("show"), QStringLiteral("999999")}).exitCode, 3);
    }

    void cleanupTestCase() {
        for (const QString &db : {m_db, m_bigDb, m_db + QStringLiteral("_rand")})
            TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(db));
    }
};

QTEST_GUILESS_MAIN(TstBackupCli)
#include "tst_backup_cli.moc"
