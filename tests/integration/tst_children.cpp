// Children never outlive lifeboatctl, and a closed terminal cancels cleanly (issue 13), against the real pg
// fixture. A pg_dump is caught for certain by a lock: another session holds ACCESS EXCLUSIVE on a partitioned table
// (which lifeboatctl's own queries never touch, and which pg_dump must lock), so pg_dump waits in the server while
// writing nothing. A pg_dump that writes would die of the closed pipe anyway and prove nothing.
#include "TestEnv.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <unistd.h>

namespace {
QStringList filesBelow(const QString &dir) {
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    return out;
}

// Parent pid and state of a process, from /proc/PID/stat; state 0 when the process is gone.
struct ProcStat {
    char state = 0;
    qint64 ppid = 0;
};
ProcStat procStat(qint64 pid) {
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray s = f.readAll();
    const QList<QByteArray> rest = s.mid(s.lastIndexOf(')') + 2).split(' ');
    if (rest.size() < 2 || rest.at(0).isEmpty())
        return {};
    return {rest.at(0).at(0), rest.at(1).toLongLong()};
}

QString procComm(qint64 pid) {
    QFile f(QStringLiteral("/proc/%1/comm").arg(pid));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).trimmed() : QString();
}

QByteArray procCmdline(qint64 pid) {
    QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Alive means running or sleeping; a zombie (Z) has ended, whoever reaps it.
bool alive(qint64 pid) {
    const char s = procStat(pid).state;
    return s != 0 && s != 'Z' && s != 'X';
}

QList<qint64> childrenOf(qint64 pid) {
    QList<qint64> out;
    for (const QString &e : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool ok = false;
        const qint64 p = e.toLongLong(&ok);
        if (ok && procStat(p).ppid == pid)
            out << p;
    }
    return out;
}
} // namespace

class TstChildren : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_store;
    QString m_db;
    QProcess m_locker;

    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args); }

    int waitingDumps() {
        return TestEnv::psql(QStringLiteral("postgres"),
                             QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = '%1' AND "
                                            "application_name = 'pg_dump' AND wait_event_type = 'Lock'")
                                 .arg(m_db))
            .toInt();
    }

    // Starts `lifeboatctl backup` and returns the pid of its pg_dump once that waits for the held lock.
    qint64 startBlockedBackup(QProcess &proc) {
        proc.setProgram(TestEnv::lifeboatctl());
        proc.setArguments({QStringLiteral("--home"), m_home, QStringLiteral("backup"), QStringLiteral("p")});
        proc.start();
        if (!proc.waitForStarted())
            return 0;
        QElapsedTimer t;
        t.start();
        qint64 dump = 0;
        while (t.elapsed() < 30000 && proc.state() == QProcess::Running) {
            if (!dump) {
                // The dumping pg_dump, not the short-lived `pg_dump --version` probe of the tool locator.
                for (qint64 c : childrenOf(proc.processId()))
                    if (procComm(c) == QLatin1String("pg_dump") && procCmdline(c).contains("--snapshot"))
                        dump = c;
            }
            if (dump && waitingDumps() > 0)
                return dump;
            QThread::msleep(50);
        }
        qWarning("pg_dump never waited for the lock: %s", proc.readAllStandardError().constData());
        return 0;
    }

    QJsonArray records(const QString &status) {
        const auto r = ctl({QStringLiteral("--json"), QStringLiteral("list"), QStringLiteral("--status"), status});
        return QJsonDocument::fromJson(r.out).array();
    }

private slots:
    void initTestCase() {
        const auto pg = TestEnv::fixture(QStringLiteral("pg"));
        QVERIFY2(!pg.isEmpty(), "the pg fixture is not running");
        QVERIFY(m_tmp.isValid());
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_store = m_tmp.filePath(QStringLiteral("store"));
        m_db = QStringLiteral("lb_children_%1").arg(QRandomGenerator::global()->bounded(1000000));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE items (id int PRIMARY KEY, name text);"
                                           "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g;"
                                           "CREATE TABLE parted (k int) PARTITION BY RANGE (k);"));
        auto r = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_store});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("p"), QStringLiteral("--conninfo"),
                 TestEnv::pgConninfo(m_db), QStringLiteral("--storage"), QStringLiteral("disk")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void init() {
        // The lock is held for the whole test function by a real session.
        m_locker.setProgram(TestEnv::pgBin(QStringLiteral("psql")));
        m_locker.setArguments({QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"), QStringLiteral("-t"),
                               QStringLiteral("-d"), TestEnv::pgConninfo(m_db)});
        m_locker.start();
        QVERIFY(m_locker.waitForStarted());
        m_locker.write("BEGIN;\nLOCK TABLE parted IN ACCESS EXCLUSIVE MODE;\nSELECT 'locked';\n");
        QElapsedTimer t;
        t.start();
        QByteArray out;
        while (!out.contains("locked") && t.elapsed() < 30000) {
            m_locker.waitForReadyRead(200);
            out += m_locker.readAllStandardOutput();
        }
        QVERIFY2(out.contains("locked"), m_locker.readAllStandardError().constData());
    }

    void cleanup() {
        m_locker.write("ROLLBACK;\n\\q\n");
        m_locker.closeWriteChannel();
        if (!m_locker.waitForFinished(10000))
            m_locker.kill();
        m_locker.waitForFinished();
        // The next function counts waiting pg_dump sessions: let the server end this one's first.
        QElapsedTimer t;
        t.start();
        while (waitingDumps() > 0 && t.elapsed() < 10000)
            QThread::msleep(100);
    }

    // A closed terminal sends SIGHUP: handled like SIGTERM, the backup is cancelled with nothing left behind.
    void hangupCancelsCleanly() {
        const QStringList before = filesBelow(m_store);
        QProcess proc;
        const qint64 dump = startBlockedBackup(proc);
        QVERIFY(dump > 0);
        ::kill(pid_t(proc.processId()), SIGHUP);
        QVERIFY(proc.waitForFinished(60000));
        QCOMPARE(proc.exitStatus(), QProcess::NormalExit);
        QCOMPARE(proc.exitCode(), 5);
        QElapsedTimer t;
        t.start();
        while (alive(dump) && t.elapsed() < 10000)
            QThread::msleep(50);
        QVERIFY2(!alive(dump), "pg_dump still runs after the cancelled backup");
        QCOMPARE(filesBelow(m_store), before);
        const QJsonArray cancelled = records(QStringLiteral("CANCELLED"));
        QCOMPARE(cancelled.size(), 1);
        QVERIFY(cancelled.first().toObject().value(QStringLiteral("locations")).toArray().isEmpty());
        QCOMPARE(records(QStringLiteral("IN_PROGRESS")).size(), 0);
    }

    // kill -9 of lifeboatctl takes its pg_dump with it: the kernel sends the child SIGKILL (PR_SET_PDEATHSIG).
    void childDiesWithKilledLifeboatctl() {
        QProcess proc;
        const qint64 dump = startBlockedBackup(proc);
        QVERIFY(dump > 0);
        QVERIFY(alive(dump));
        auto stray = qScopeGuard([dump] {
            if (alive(dump) && procComm(dump) == QLatin1String("pg_dump"))
                ::kill(pid_t(dump), SIGKILL); // never leave a failed run's pg_dump behind
        });
        ::kill(pid_t(proc.processId()), SIGKILL);
        QVERIFY(proc.waitForFinished(10000));
        QElapsedTimer t;
        t.start();
        while (alive(dump) && t.elapsed() < 10000)
            QThread::msleep(50);
        QVERIFY2(!alive(dump), "pg_dump outlived the killed lifeboatctl");
        // (Its server backend, blocked on the lock, notices the closed connection only when the lock is granted:
        // that is PostgreSQL's business, and cleanup() releases the lock.)
    }

    void cleanupTestCase() {
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_db));
    }
};

QTEST_GUILESS_MAIN(TstChildren)
#include "tst_children.moc"
