// A reader of lifeboatctl's output that goes away (`lifeboatctl backup p | head -0`, a closed ssh session) must not
// kill it with SIGPIPE while it still has a record to finish and files to clean up: writes fail with EPIPE and the
// run ends as it would have. Against the real pg fixture; the dead reader is a pipe whose read end is closed before
// lifeboatctl starts.
#include "TestEnv.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

namespace {
QStringList filesBelow(const QString &dir) {
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    return out;
}
} // namespace

class TstSigpipe : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_store;
    QString m_db;

    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args); }

    QJsonArray records(const QString &status) {
        const auto r = ctl({QStringLiteral("--json"), QStringLiteral("list"), QStringLiteral("--status"), status});
        return QJsonDocument::fromJson(r.out).array();
    }

    // Runs `lifeboatctl backup p` with stdout (and stderr if asked) on a pipe nobody reads any more.
    void backupIntoDeadPipe(bool stderrToo, QProcess &proc) {
        int fds[2];
        QVERIFY(::pipe2(fds, O_CLOEXEC) == 0);
        ::close(fds[0]); // the reader is gone before the first byte
        const int w = fds[1];
        proc.setProgram(TestEnv::lifeboatctl());
        proc.setArguments({QStringLiteral("--home"), m_home, QStringLiteral("backup"), QStringLiteral("--verbose"),
                           QStringLiteral("p")});
        proc.setChildProcessModifier([w, stderrToo] {
            ::dup2(w, STDOUT_FILENO);
            if (stderrToo)
                ::dup2(w, STDERR_FILENO);
        });
        proc.start();
        const bool started = proc.waitForStarted();
        ::close(w);
        QVERIFY(started);
        QVERIFY(proc.waitForFinished(120000));
    }

    void check(bool stderrToo) {
        const int completedBefore = records(QStringLiteral("COMPLETED")).size();
        QProcess proc;
        backupIntoDeadPipe(stderrToo, proc);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(proc.exitStatus() == QProcess::NormalExit, "lifeboatctl was killed (SIGPIPE)");
        QVERIFY2(proc.exitCode() == 0, qPrintable(QStringLiteral("exit %1: %2")
                                                      .arg(proc.exitCode())
                                                      .arg(QString::fromLocal8Bit(proc.readAllStandardError()))));
        QCOMPARE(records(QStringLiteral("COMPLETED")).size(), completedBefore + 1);
        QCOMPARE(records(QStringLiteral("IN_PROGRESS")).size(), 0);
        for (const QString &f : filesBelow(m_store))
            QVERIFY2(!f.endsWith(QLatin1String(".partial")), qPrintable(f));
    }

private slots:
    void initTestCase() {
        const auto pg = TestEnv::fixture(QStringLiteral("pg"));
        QVERIFY2(!pg.isEmpty(), "the pg fixture is not running");
        QVERIFY(m_tmp.isValid());
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_store = m_tmp.filePath(QStringLiteral("store"));
        m_db = QStringLiteral("lb_sigpipe_%1").arg(QRandomGenerator::global()->bounded(1000000));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db,
                      QStringLiteral("CREATE TABLE items (id int PRIMARY KEY, name text);"
                                     "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g;"));
        auto r = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_store});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("p"), QStringLiteral("--conninfo"),
                 TestEnv::pgConninfo(m_db), QStringLiteral("--storage"), QStringLiteral("disk")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    // The record id printed at the end goes into the dead pipe.
    void deadStdoutReader() { check(false); }
    // Progress and --verbose lines are written while the job runs: the pipe is dead during the job too.
    void deadStdoutAndStderrReader() { check(true); }

    void cleanupTestCase() {
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_db));
    }
};

QTEST_GUILESS_MAIN(TstSigpipe)
#include "tst_sigpipe.moc"
