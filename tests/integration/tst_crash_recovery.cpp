// Crashes and kills leave nothing behind (issue 13): lifeboatctl is killed with SIGKILL in the middle of a backup to
// a local directory, of a backup to S3 (the real s3rver fixture, SigV4 verified) and of `verify --sandbox` (real pg
// server binaries). The next run — any command that opens the catalog — leaves no .partial file, no open multipart
// upload (asked through the server's ListMultipartUploads), no postmaster, no password or scratch file of the dead
// run, and the dead run's record is FAILED with an honest error. A sandbox postmaster that outlived its owner (no
// parent-death signal: another OS, or a wedged server) is found through its pid file and stopped by the next run.
//
// The lifeboatctl processes get a private TMPDIR, so "no scratch file left" means exactly that, whatever else runs
// on the machine.
#include "TestEnv.h"

#include "catalog/GlobalsCompanion.h"
#include "core/ProcessIdentity.h"
#include "storage/S3Session.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <unistd.h>

using namespace lifeboat;

namespace {

QStringList filesBelow(const QString &dir, const QString &suffix = {}) {
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString f = it.next();
        if (suffix.isEmpty() || f.endsWith(suffix))
            out << f;
    }
    return out;
}

QByteArray procFile(qint64 pid, const char *name) {
    QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name)));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool isZombie(qint64 pid) {
    const QByteArray stat = procFile(pid, "stat");
    const qsizetype close = stat.lastIndexOf(')');
    return close < 0 || stat.mid(close + 2, 1) == "Z" || stat.mid(close + 2, 1) == "X";
}

// Live processes whose working directory or command line names something under `dir` (a postmaster chdirs into its
// data directory and is started with -D DIR).
QList<qint64> processesUsing(const QString &dir) {
    QList<qint64> out;
    // Not canonicalFilePath(): it is empty once the directory is gone, and "" is in every command line.
    const QString canonical = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    if (canonical.isEmpty() || canonical == QLatin1String("/"))
        return out;
    for (const QString &e : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool ok = false;
        const qint64 pid = e.toLongLong(&ok);
        if (!ok || isZombie(pid))
            continue;
        const QString cwd = QFileInfo(QStringLiteral("/proc/%1/cwd").arg(pid)).symLinkTarget();
        const QByteArray cmdline = procFile(pid, "cmdline");
        if ((!cwd.isEmpty() && cwd.startsWith(canonical + QLatin1Char('/'))) || cmdline.contains(canonical.toUtf8()))
            out << pid;
    }
    return out;
}

bool waitFor(const std::function<bool()> &condition, int ms) {
    QDeadlineTimer deadline(ms);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(20);
    }
    return true;
}

} // namespace

class TstCrashRecovery : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QTemporaryDir m_scratch{QStringLiteral("/tmp/lbc-XXXXXX")}; // short: sandbox socket paths must stay < 108 bytes
    QString m_home;
    int m_sqlConnections = 0;
    QString m_store;
    QString m_prefix;
    QString m_bigDb;
    QString m_midDb;
    QHash<QString, QString> m_pg;
    QHash<QString, QString> m_s3;
    QProcessEnvironment m_env;
    std::unique_ptr<S3Session> m_session;

    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args, {}, m_env); }
    QJsonArray records(const QStringList &filters) {
        const auto r = ctl(QStringList{QStringLiteral("--json"), QStringLiteral("list")} + filters);
        return QJsonDocument::fromJson(r.out).array();
    }
    QStringList scratchEntries() const {
        return QDir(m_scratch.path()).entryList({QStringLiteral("lifeboat-*")}, QDir::AllEntries | QDir::Hidden);
    }
    QList<S3MultipartUpload> openUploads() {
        QList<S3MultipartUpload> uploads;
        const Error e = m_session->listMultipartUploads(m_prefix, &uploads);
        if (e)
            qWarning("ListMultipartUploads: %s", qPrintable(e.message));
        return uploads;
    }
    void start(QProcess &proc, const QStringList &args) {
        proc.setProcessEnvironment(m_env);
        proc.setProgram(TestEnv::lifeboatctl());
        proc.setArguments(QStringList{QStringLiteral("--home"), m_home} + args);
        proc.start();
        QVERIFY(proc.waitForStarted());
    }
    void killHard(QProcess &proc) {
        ::kill(static_cast<pid_t>(proc.processId()), SIGKILL);
        QVERIFY(proc.waitForFinished(10000));
        QCOMPARE(proc.exitStatus(), QProcess::CrashExit);
    }
    // The one record of `profile` (the killed run), after the next run recovered it.
    QJsonObject killedRecord(const QString &profile) {
        const QJsonArray all = records({QStringLiteral("--profile"), profile});
        for (const QJsonValue &v : all) {
            if (v.toObject().value(QStringLiteral("error")).toString().contains(QLatin1String("interrupted")))
                return v.toObject();
        }
        return {};
    }

    // SQL on the catalog of m_home, through Qt's own SQLite driver (a pristine machine has no sqlite3 tool): to set
    // up records as another machine, or a clock step, leaves them. Statements are separated by ';'; the answer is
    // the first column of the last statement's first row.
    QByteArray catalogSql(const QString &sql) {
        QByteArray answer;
        const QString name = QStringLiteral("tst-crash-%1").arg(++m_sqlConnections);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(m_home + QStringLiteral("/catalog.sqlite"));
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
            if (!db.open()) {
                qWarning("catalog open failed: %s", qPrintable(db.lastError().text()));
            } else {
                for (const QString &statement : sql.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
                    if (statement.trimmed().isEmpty())
                        continue;
                    QSqlQuery q(db);
                    if (!q.exec(statement)) {
                        qWarning("catalog SQL failed: %s", qPrintable(q.lastError().text()));
                        continue;
                    }
                    answer = q.next() ? q.value(0).toString().toUtf8() : QByteArray();
                }
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return answer.trimmed();
    }

    // The pid of a process that has exited: it names a dead owner.
    static qint64 exitedPid() {
        QProcess p;
        p.start(QStringLiteral("true"));
        if (!p.waitForStarted())
            return 0;
        const qint64 pid = p.processId();
        p.waitForFinished();
        return pid;
    }

private slots:
    void initTestCase() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_pg.isEmpty() && !m_s3.isEmpty(), "the pg and s3 fixtures must be running");
        QVERIFY(m_scratch.isValid());
        // As root the sandbox runs as postgres, which must reach its directory inside this one.
        QFile::setPermissions(m_scratch.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                    QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                                    QFile::ExeOther);
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_store = m_tmp.filePath(QStringLiteral("store"));
        const int n = QRandomGenerator::global()->bounded(1000000);
        m_prefix = QStringLiteral("crash-%1/").arg(n);
        m_bigDb = QStringLiteral("lb_crash_%1_big").arg(n);
        m_midDb = QStringLiteral("lb_crash_%1_mid").arg(n);

        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("TMPDIR"), m_scratch.path());
        m_env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        m_env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_s3.value(QStringLiteral("S3_SECRET_KEY")));
        m_env.insert(QStringLiteral("LB_CRASH_PW"), m_pg.value(QStringLiteral("PG_PASSWORD")));

        // Big enough that pg_dump runs for seconds (the kill lands mid-way); read by the password user, so every
        // backup of it has a PGPASSFILE.
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_bigDb));
        TestEnv::psql(m_bigDb,
                      QStringLiteral("CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS a, "
                                     "md5((g * 13)::text) AS b FROM generate_series(1, 1500000) g;"
                                     "GRANT SELECT ON big TO lifeboat_user;"));
        // Restores in a few seconds: time to find the sandbox postmaster while verify runs.
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_midDb));
        TestEnv::psql(m_midDb, QStringLiteral("CREATE TABLE mid AS SELECT g AS id, md5(g::text) AS a FROM "
                                              "generate_series(1, 400000) g; ALTER TABLE mid ADD PRIMARY KEY (id)"));

        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_store})
                     .exitCode,
                 0);
        const auto s3 =
            ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                 m_s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"), QStringLiteral("--prefix"),
                 m_prefix});
        QVERIFY2(s3.exitCode == 0, s3.err.constData());
        const QString host = m_pg.value(QStringLiteral("PG_HOST"));
        const QString port = m_pg.value(QStringLiteral("PG_PORT"));
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("big"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=%1 port=%2 user=lifeboat_user dbname=%3").arg(host, port, m_bigDb)})
                .exitCode,
            0);
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("mid"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=%1 port=%2 user=postgres dbname=%3").arg(host, port, m_midDb)})
                .exitCode,
            0);

        S3Config c;
        c.endpoint = QUrl(m_s3.value(QStringLiteral("S3_ENDPOINT")));
        c.bucket = m_s3.value(QStringLiteral("S3_BUCKET"));
        c.region = m_s3.value(QStringLiteral("S3_REGION"));
        c.pathStyle = true;
        c.accessKeyId = m_s3.value(QStringLiteral("S3_ACCESS_KEY"));
        c.secretAccessKey = m_s3.value(QStringLiteral("S3_SECRET_KEY"));
        m_session = std::make_unique<S3Session>(c);
        QVERIFY(openUploads().isEmpty());
    }

    void killMidBackupToLocal() {
        QProcess proc;
        start(proc, {QStringLiteral("backup"), QStringLiteral("big"), QStringLiteral("--storage"),
                     QStringLiteral("disk"), QStringLiteral("--secret-env"), QStringLiteral("LB_CRASH_PW")});
        // Mid-way: the partial file is there and growing.
        QVERIFY2(waitFor(
                     [&] {
                         const QStringList partials = filesBelow(m_store, QStringLiteral(".partial"));
                         return !partials.isEmpty() && QFileInfo(partials.first()).size() > 512 * 1024;
                     },
                     60000),
                 "the backup never wrote a partial file");
        const QStringList pgpass = scratchEntries().filter(QStringLiteral("lifeboat-pgpass"));
        QVERIFY2(!pgpass.isEmpty(), "the backup runs with a temporary password file");
        const QString artifactPartial = filesBelow(m_store, QStringLiteral(".partial")).first();
        killHard(proc);
        QVERIFY(
            !filesBelow(m_store, QStringLiteral(".partial")).isEmpty()); // SIGKILL can't clean up: the next run must
        QVERIFY(!scratchEntries().isEmpty());
        // A kill while the roles companion (profile --globals) was being written leaves its .partial beside the
        // artifact's; that moment is too short to hit with a real kill, so the file is made here.
        QString companion = artifactPartial;
        companion.chop(int(qstrlen(".partial")));
        companion = QFileInfo(companion).dir().filePath(
            GlobalsCompanion::nameFor(QFileInfo(companion).fileName(), false) + QStringLiteral(".partial"));
        {
            QFile f(companion);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("CREATE ROLE half");
        }

        // The next backup (any command would do) cleans up first, and says so with --verbose.
        const auto next = ctl({QStringLiteral("backup"), QStringLiteral("mid"), QStringLiteral("--storage"),
                               QStringLiteral("disk"), QStringLiteral("--verbose")});
        QVERIFY2(next.exitCode == 0, next.err.constData());
        QCOMPARE(filesBelow(m_store, QStringLiteral(".partial")), QStringList());
        QCOMPARE(scratchEntries(), QStringList()); // the dead run's password file and dump scratch included
        const QJsonObject rec = killedRecord(QStringLiteral("big"));
        QCOMPARE(rec.value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
        const QString error = rec.value(QStringLiteral("error")).toString();
        QVERIFY2(error.contains(QLatin1String("partial file")) && error.contains(QLatin1String("was removed")),
                 qPrintable(error));
        QVERIFY(rec.value(QStringLiteral("locations")).toArray().isEmpty());
        QCOMPARE(records({QStringLiteral("--status"), QStringLiteral("IN_PROGRESS")}).size(), 0);
        // Only the finished backup of "mid" is in the store: artifact and manifest.
        QCOMPARE(filesBelow(m_store).size(), 2);
        QVERIFY2(next.err.contains("recovery: interrupted backup") && next.err.contains("removed partial file"),
                 next.err.constData());
        QVERIFY2(next.err.contains("password file of pid"), next.err.constData());
    }

    void killMidBackupToS3() {
        QProcess proc;
        start(proc, {QStringLiteral("backup"), QStringLiteral("big"), QStringLiteral("--storage"),
                     QStringLiteral("bucket"), QStringLiteral("--secret-env"), QStringLiteral("LB_CRASH_PW")});
        // Mid-way: the multipart upload is open on the server.
        QVERIFY2(waitFor([&] { return !openUploads().isEmpty(); }, 90000), "the backup never opened an upload");
        killHard(proc);
        const QList<S3MultipartUpload> left = openUploads();
        QCOMPARE(left.size(), 1); // SIGKILL can't abort it: the next run must
        QVERIFY(left.first().key.startsWith(m_prefix));

        // Any command that opens the catalog recovers; without --verbose it prints one summary line.
        const auto next = ctl({QStringLiteral("--json"), QStringLiteral("list")});
        QVERIFY2(next.exitCode == 0, next.err.constData());
        QCOMPARE(openUploads().size(), 0);
        QCOMPARE(scratchEntries(), QStringList());
        // Two interrupted records of "big" now: take the S3 one.
        QJsonObject s3rec;
        for (const QJsonValue &v : records({QStringLiteral("--profile"), QStringLiteral("big")})) {
            if (v.toObject().value(QStringLiteral("error")).toString().contains(QLatin1String("upload")))
                s3rec = v.toObject();
        }
        QCOMPARE(s3rec.value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
        const QString error = s3rec.value(QStringLiteral("error")).toString();
        QVERIFY2(error.contains(QLatin1String("interrupted")) && error.contains(QLatin1String("was aborted")),
                 qPrintable(error));
        QCOMPARE(records({QStringLiteral("--status"), QStringLiteral("IN_PROGRESS")}).size(), 0);
        // Nothing under the key: the aborted upload stored no object.
        int status = 0;
        S3ObjectInfo info;
        QVERIFY(m_session->headObject(left.first().key, &info, &status));
        QCOMPARE(status, 404);
        QVERIFY2(next.err.contains("cleaned up after an interrupted run") &&
                     next.err.contains("1 multipart upload(s) aborted"),
                 next.err.constData());
    }

    void killMidVerifyInSandbox() {
        const QStringList completed{QStringLiteral("--profile"), QStringLiteral("mid"), QStringLiteral("--status"),
                                    QStringLiteral("COMPLETED")};
        if (records(completed).isEmpty()) { // run on its own
            const auto backup = ctl(
                {QStringLiteral("backup"), QStringLiteral("mid"), QStringLiteral("--storage"), QStringLiteral("disk")});
            QVERIFY2(backup.exitCode == 0, backup.err.constData());
        }
        const QJsonArray done = records(completed);
        QVERIFY(!done.isEmpty());
        const QString id = QString::number(done.first().toObject().value(QStringLiteral("id")).toInteger());
        QProcess proc;
        start(proc, {QStringLiteral("verify"), id, QStringLiteral("--sandbox")});
        // Mid-way: the sandbox's postmaster runs (with the restored data arriving).
        QList<qint64> postmasters;
        QVERIFY2(waitFor(
                     [&] {
                         postmasters.clear();
                         for (qint64 pid : processesUsing(m_scratch.path()))
                             // The server (started with -k SOCKETDIR), not initdb's bootstrap backend.
                             if (procFile(pid, "comm").startsWith("postgres") &&
                                 procFile(pid, "cmdline").contains(QByteArray("\0-k\0", 4)))
                                 postmasters << pid;
                         return !postmasters.isEmpty();
                     },
                     60000),
                 "the sandbox server never ran");
        const QStringList sandboxes = scratchEntries().filter(QStringLiteral("lifeboat-sandbox"));
        QCOMPARE(sandboxes.size(), 1);
        killHard(proc);

        const auto next = ctl({QStringLiteral("list")});
        QVERIFY2(next.exitCode == 0, next.err.constData());
        // No server holds restored data any more (bounded: a postmaster told to quit takes a moment).
        QVERIFY2(
            waitFor([&] { return processesUsing(m_scratch.path()).isEmpty(); }, 15000),
            qPrintable(QStringLiteral("still running in the sandbox: %1")
                           .arg(QString::fromUtf8(procFile(processesUsing(m_scratch.path()).value(0), "cmdline")))));
        QCOMPARE(scratchEntries(), QStringList());
    }

    // A postmaster whose owner is gone but which still runs — no parent-death signal on that system, or a server
    // that ignored it — is found through its pid file and stopped by the next run, and its directory removed.
    void abandonedSandboxPostmasterIsStopped() {
        const qint64 gonePid = exitedPid();
        QVERIFY(gonePid > 0);
        const QString dir = m_scratch.filePath(
            QStringLiteral("lifeboat-sandbox-%1-%2-1-Ab3dEf").arg(ProcessIdentity::hostTag()).arg(gonePid));
        QVERIFY(QDir().mkpath(dir));
        const bool root = ::geteuid() == 0;
        auto asOwner = [root](const QString &tool, const QStringList &args) {
            return root ? TestEnv::run(QStringLiteral("runuser"),
                                       QStringList{QStringLiteral("-u"), QStringLiteral("postgres"),
                                                   QStringLiteral("--"), TestEnv::pgBin(tool)} +
                                           args)
                        : TestEnv::run(TestEnv::pgBin(tool), args);
        };
        if (root)
            QCOMPARE(TestEnv::run(QStringLiteral("chown"), {QStringLiteral("postgres:"), dir}).exitCode, 0);
        const QString data = dir + QStringLiteral("/data");
        const auto init = asOwner(QStringLiteral("initdb"),
                                  {QStringLiteral("-D"), data, QStringLiteral("-U"), QStringLiteral("lifeboat"),
                                   QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("--no-sync")});
        QVERIFY2(init.exitCode == 0, init.err.constData());
        // pg_ctl daemonizes it: nothing of ours is its parent.
        const auto started =
            asOwner(QStringLiteral("pg_ctl"),
                    {QStringLiteral("-D"), data, QStringLiteral("-l"), dir + QStringLiteral("/server.log"),
                     QStringLiteral("-w"), QStringLiteral("-o"),
                     QStringLiteral("-c listen_addresses='' -k %1 -p 54999").arg(dir), QStringLiteral("start")});
        QVERIFY2(started.exitCode == 0, started.err.constData());
        QVERIFY(!processesUsing(dir).isEmpty());

        const auto next = ctl({QStringLiteral("list")});
        QVERIFY2(next.exitCode == 0, next.err.constData());
        QVERIFY2(waitFor([&] { return processesUsing(dir).isEmpty(); }, 15000), "the abandoned postmaster still runs");
        QVERIFY(!QFileInfo::exists(dir));
        QVERIFY2(next.err.contains("cleaned up after an interrupted run"), next.err.constData());
    }

    // A second command while a backup runs must not take the live run for a dead one, even when the wall clock
    // jumped forward since the record was written (VM resume, NTP): its record says it started an hour before the
    // process did. Its partial file and IN_PROGRESS record stay, and the backup completes.
    void liveRunSurvivesASecondCommandAfterAClockJump() {
        QProcess proc;
        start(proc, {QStringLiteral("backup"), QStringLiteral("big"), QStringLiteral("--storage"),
                     QStringLiteral("disk"), QStringLiteral("--secret-env"), QStringLiteral("LB_CRASH_PW")});
        QVERIFY2(waitFor(
                     [&] {
                         const QStringList partials = filesBelow(m_store, QStringLiteral(".partial"));
                         return !partials.isEmpty() && QFileInfo(partials.first()).size() > 256 * 1024;
                     },
                     60000),
                 "the backup never wrote a partial file");
        const QString earlier = QDateTime::currentDateTimeUtc().addSecs(-3600).toString(Qt::ISODateWithMs);
        catalogSql(QStringLiteral("UPDATE backups SET started = '%1' WHERE status = 'IN_PROGRESS' AND pid = %2")
                       .arg(earlier)
                       .arg(proc.processId()));
        QCOMPARE(catalogSql(QStringLiteral("SELECT started FROM backups WHERE status = 'IN_PROGRESS'")),
                 earlier.toUtf8());
        const QStringList partials = filesBelow(m_store, QStringLiteral(".partial"));
        const auto other = ctl({QStringLiteral("list")});
        QVERIFY2(other.exitCode == 0, other.err.constData());
        QVERIFY2(!other.err.contains("interrupted run"), other.err.constData());
        QCOMPARE(filesBelow(m_store, QStringLiteral(".partial")), partials);
        QCOMPARE(records({QStringLiteral("--status"), QStringLiteral("IN_PROGRESS")}).size(), 1);
        QVERIFY(proc.waitForFinished(300000));
        QVERIFY2(proc.exitCode() == 0, proc.readAllStandardError().constData());
        const QJsonArray done = records({QStringLiteral("--profile"), QStringLiteral("big"), QStringLiteral("--status"),
                                         QStringLiteral("COMPLETED")});
        QCOMPARE(done.size(), 1);
        // Clean up for the later cases: only their own files in the store.
        const auto del = ctl({QStringLiteral("delete"),
                              QString::number(done.first().toObject().value(QStringLiteral("id")).toInteger()),
                              QStringLiteral("--force")});
        QVERIFY2(del.exitCode == 0, del.err.constData());
    }

    // A record whose owner is another machine (cloned VM, container with the host's UTS name) or another pid
    // namespace is never touched here, though its host name is ours and its pid is gone here.
    void otherMachinesRecordIsLeftAlone() {
        const qint64 gonePid = exitedPid();
        QVERIFY(gonePid > 0);
        const QString dir = m_store + QStringLiteral("/foreign");
        QVERIFY(QDir().mkpath(dir));
        const QString path = dir + QStringLiteral("/foreign.dump");
        QFile partial(path + QStringLiteral(".partial"));
        QVERIFY(partial.open(QIODevice::WriteOnly));
        partial.write("half a dump");
        partial.close();
        const QString host = QSysInfo::machineHostName();
        const QString owner = ProcessIdentity::ownerIdentity();
        QVERIFY2(!owner.isEmpty(), "this process has an exact identity");
        QStringList other = owner.split(QLatin1Char(':'));
        other[1] = QStringLiteral("0123456789abcdef0123456789abcdef"); // another machine-id
        other[4] = QString::number(gonePid);
        QStringList otherNs = owner.split(QLatin1Char(':'));
        otherNs[3] = QStringLiteral("1"); // another pid namespace on this machine
        otherNs[4] = QString::number(gonePid);
        for (const QString &o : {other.join(QLatin1Char(':')), otherNs.join(QLatin1Char(':'))}) {
            catalogSql(QStringLiteral("INSERT INTO backups (profile, database_name, kind, type, filename, status, "
                                      "started, host, pid, owner) VALUES ('foreign', 'db', 'postgres', 'full', "
                                      "'foreign.dump', 'IN_PROGRESS', '%1', '%2', %3, '%4');"
                                      "INSERT INTO backup_locations (backup_id, storage, kind, path) VALUES "
                                      "(last_insert_rowid(), 'disk', 'local', '%5')")
                           .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs), host)
                           .arg(gonePid)
                           .arg(o, path));
        }
        QCOMPARE(catalogSql(QStringLiteral("SELECT COUNT(*) FROM backups WHERE profile = 'foreign'")), QByteArray("2"));
        const auto next = ctl({QStringLiteral("list")});
        QVERIFY2(next.exitCode == 0, next.err.constData());
        QVERIFY2(!next.err.contains("interrupted run"), next.err.constData());
        QCOMPARE(catalogSql(QStringLiteral("SELECT COUNT(*) FROM backups WHERE profile = 'foreign' AND status = "
                                           "'IN_PROGRESS'")),
                 QByteArray("2"));
        QVERIFY(QFileInfo::exists(path + QStringLiteral(".partial")));
        // Cleanup for the later cases.
        catalogSql(QStringLiteral("DELETE FROM backup_locations WHERE backup_id IN (SELECT id FROM backups WHERE "
                                  "profile = 'foreign'); DELETE FROM backups WHERE profile = 'foreign'"));
        QDir(dir).removeRecursively();
    }

    // Leftovers of live processes, of other hosts and names Lifeboat did not make are never touched.
    void liveOwnersAndForeignNamesAreKept() {
        const QString mine =
            m_scratch.filePath(QStringLiteral("lifeboat-pgpass-%1-%2-%3-Qw3rTy")
                                   .arg(ProcessIdentity::hostTag())
                                   .arg(QCoreApplication::applicationPid())
                                   .arg(ProcessIdentity::startTicks(QCoreApplication::applicationPid())));
        const qint64 gonePid = exitedPid();
        QVERIFY(gonePid > 0);
        const QString recycled = m_scratch.filePath(QStringLiteral("lifeboat-pgpass-%1-%2-1-Zx9cVb")
                                                        .arg(ProcessIdentity::hostTag())
                                                        .arg(QCoreApplication::applicationPid()));
        const QString otherHost =
            m_scratch.filePath(QStringLiteral("lifeboat-pgpass-00000000-%1-1-Po8iUy").arg(gonePid));
        const QString foreign = m_scratch.filePath(QStringLiteral("lifeboat-notes.txt"));
        for (const QString &f : {mine, recycled, otherHost, foreign}) {
            QFile file(f);
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        const auto next = ctl({QStringLiteral("list")});
        QVERIFY2(next.exitCode == 0, next.err.constData());
        QVERIFY(QFileInfo::exists(mine));      // this test process is alive
        QVERIFY(!QFileInfo::exists(recycled)); // same pid, other start time: not this process's
        QVERIFY(QFileInfo::exists(otherHost));
        QVERIFY(QFileInfo::exists(foreign));
        for (const QString &f : {mine, otherHost, foreign})
            QFile::remove(f);
    }
};

QTEST_GUILESS_MAIN(TstCrashRecovery)
#include "tst_crash_recovery.moc"
