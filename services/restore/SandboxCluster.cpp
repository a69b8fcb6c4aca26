#include "restore/SandboxCluster.h"

#include "core/ChildEnvironment.h"
#include "core/ParentDeath.h"
#include "core/ScratchName.h"

#include "pg/Conninfo.h"
#include "pg/PgToolLocator.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>

#include <csignal>
#include <unistd.h>

namespace lifeboat {

SandboxCluster::SandboxCluster(QString pgToolDir, QString workDir)
    : m_pgToolDir(std::move(pgToolDir))
    , m_workDir(std::move(workDir)) {}

SandboxCluster::~SandboxCluster() {
    stop();
}

QString SandboxCluster::dataDir() const {
    return m_dir ? m_dir->path() + QStringLiteral("/data") : QString();
}

QString SandboxCluster::conninfo() const {
    return QStringLiteral("host=%1 port=%2 user=lifeboat dbname=postgres")
        .arg(Conninfo::quoteValue(m_dir ? m_dir->path() : QString()))
        .arg(m_port);
}

qint64 SandboxCluster::postmasterPid() const {
    if (!m_server || m_server->state() == QProcess::NotRunning)
        return 0;
    // Through runuser the child is runuser; the postmaster names itself in its pid file.
    QFile pidFile(dataDir() + QStringLiteral("/postmaster.pid"));
    if (pidFile.open(QIODevice::ReadOnly)) {
        const qint64 pid = pidFile.readLine().trimmed().toLongLong();
        if (pid > 0)
            return pid;
    }
    return m_server->processId();
}

QStringList SandboxCluster::asOwner(const QString &program, const QStringList &args, const QString &deathSignal,
                                    QString *runner) const {
    if (!m_asPostgres) {
        *runner = program;
        return args;
    }
    if (!m_setpriv.isEmpty()) {
        // The parent-death signal is reset by the kernel when the user changes, so setpriv sets it afterwards.
        *runner = m_setpriv;
        return QStringList{QStringLiteral("--reuid=postgres"),
                           QStringLiteral("--regid=postgres"),
                           QStringLiteral("--init-groups"),
                           QStringLiteral("--pdeathsig=") + deathSignal,
                           QStringLiteral("--"),
                           program} +
               args;
    }
    *runner = m_runuser;
    return QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program} + args;
}

bool SandboxCluster::run(const QString &program, const QStringList &args, Error *error, const QString &what) {
    QString runner;
    const QStringList full = asOwner(program, args, QStringLiteral("KILL"), &runner);
    QProcess p;
    p.setProcessEnvironment(ChildEnvironment::minimal()); // the private cluster needs nothing of ours
    p.setProcessChannelMode(QProcess::MergedChannels);
    dieWithParent(p);
    p.start(runner, full);
    if (!p.waitForStarted(30000) || !p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit ||
        p.exitCode() != 0) {
        const QString out = QString::fromUtf8(p.readAll()).trimmed();
        *error = {ExitCode::PgTool, QStringLiteral("sandbox cluster: %1 failed: %2")
                                        .arg(what, out.isEmpty() ? p.errorString() : out.right(600))};
        return false;
    }
    return true;
}

QString SandboxCluster::serverLogTail() const {
    QFile log(m_dir->path() + QStringLiteral("/server.log"));
    if (!log.open(QIODevice::ReadOnly))
        return {};
    const qint64 size = log.size();
    if (size > 600)
        log.seek(size - 600);
    return QString::fromUtf8(log.readAll()).trimmed();
}

bool SandboxCluster::startServer(Error *error) {
    // No TCP at all: a port number only names the socket file.
    m_port = QRandomGenerator::global()->bounded(20000, 60000);
    m_server = std::make_unique<QProcess>();
    m_server->setProcessEnvironment(ChildEnvironment::minimal());
    m_server->setProcessChannelMode(QProcess::MergedChannels);
    m_server->setStandardOutputFile(m_dir->path() + QStringLiteral("/server.log"));
    dieWithParent(*m_server, SIGQUIT); // immediate shutdown: the postmaster takes its backends along
    QString runner;
    const QStringList args = asOwner(
        m_bin + QStringLiteral("/postgres"),
        {QStringLiteral("-D"), dataDir(), QStringLiteral("-c"), QStringLiteral("listen_addresses="),
         QStringLiteral("-k"), m_dir->path(), QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-c"),
         QStringLiteral("fsync=off"), QStringLiteral("-c"), QStringLiteral("full_page_writes=off")},
        QStringLiteral("QUIT"), &runner);
    m_server->start(runner, args);
    if (!m_server->waitForStarted(30000)) {
        *error = {ExitCode::PgTool,
                  QStringLiteral("sandbox cluster: cannot start postgres: %1").arg(m_server->errorString())};
        m_server.reset();
        return false;
    }
    // Ready when the postmaster says so in its pid file (line 8, PostgreSQL 10+), as pg_ctl -w checks.
    const QDeadlineTimer deadline(60000);
    for (;;) {
        QFile pidFile(dataDir() + QStringLiteral("/postmaster.pid"));
        if (pidFile.open(QIODevice::ReadOnly)) {
            const QList<QByteArray> lines = pidFile.readAll().split('\n');
            if (lines.size() >= 8 && lines.at(7).trimmed() == "ready")
                return true;
        }
        if (m_server->state() == QProcess::NotRunning) {
            *error = {ExitCode::PgTool,
                      QStringLiteral("sandbox cluster: postgres exited while starting: %1").arg(serverLogTail())};
            m_server.reset();
            return false;
        }
        if (deadline.hasExpired()) {
            *error = {
                ExitCode::PgTool,
                QStringLiteral("sandbox cluster: postgres did not become ready within 60 s: %1").arg(serverLogTail())};
            stop();
            return false;
        }
        m_server->waitForFinished(100); // a short wait that notices an early exit
    }
}

bool SandboxCluster::start(Error *error) {
    Error e;
    const PgToolLocator locator(m_pgToolDir);
    const PgToolLocator::Tool initdb = locator.choose(QStringLiteral("initdb"), PgVersion{}, &e);
    if (e) {
        *error = {ExitCode::Usage, QStringLiteral("--sandbox needs the PostgreSQL server binaries (initdb, postgres): "
                                                  "%1 — install the postgresql package or verify on a server instead")
                                       .arg(e.message)};
        return false;
    }
    m_bin = QFileInfo(initdb.path).absolutePath();
    m_version = initdb.version;
    if (!QFileInfo::exists(m_bin + QStringLiteral("/postgres"))) {
        *error = {ExitCode::Usage, QStringLiteral("--sandbox: no postgres server binary beside %1").arg(initdb.path)};
        return false;
    }
    m_asPostgres = ::geteuid() == 0;
    if (m_asPostgres) {
        m_setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
        m_runuser = QStandardPaths::findExecutable(QStringLiteral("runuser"));
        if (m_setpriv.isEmpty() && m_runuser.isEmpty()) {
            *error = {ExitCode::Usage,
                      QStringLiteral("--sandbox as root needs setpriv or runuser (util-linux) to start "
                                     "PostgreSQL as the postgres user; run lifeboatctl as an ordinary "
                                     "user instead")};
            return false;
        }
    }
    const QString base = m_workDir.isEmpty() ? QDir::tempPath() : m_workDir;
    m_dir = std::make_unique<QTemporaryDir>(ScratchName::templatePath(QStringLiteral("sandbox"), base));
    if (!m_dir->isValid()) {
        *error = {ExitCode::Usage, QStringLiteral("cannot create a sandbox directory in %1").arg(base)};
        return false;
    }
    if (m_asPostgres) {
        // The directory is private to the postgres user; lifeboatctl (root) reaches the socket anyway.
        QProcess chown;
        chown.setProcessEnvironment(ChildEnvironment::minimal());
        chown.start(QStringLiteral("chown"), {QStringLiteral("postgres:"), m_dir->path()});
        chown.waitForFinished();
    }
    if (m_log)
        m_log(QStringLiteral("sandbox: initdb %1 in %2").arg(m_version.toString(), m_dir->path()));
    if (!run(initdb.path,
             {QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), QStringLiteral("lifeboat"), QStringLiteral("-A"),
              QStringLiteral("trust"), QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C.UTF-8"),
              QStringLiteral("--no-sync")},
             error, QStringLiteral("initdb")))
        return false;
    if (!startServer(error))
        return false;
    if (m_log)
        m_log(QStringLiteral("sandbox: PostgreSQL %1 running on socket %2 (postmaster pid %3)")
                  .arg(m_version.toString(), m_dir->path())
                  .arg(postmasterPid()));
    return true;
}

void SandboxCluster::stop() {
    if (m_server) {
        if (m_server->state() != QProcess::NotRunning) {
            // SIGQUIT is pg_ctl's "immediate" mode: no checkpoint, the data is thrown away anyway.
            ::kill(static_cast<pid_t>(postmasterPid()), SIGQUIT);
            if (!m_server->waitForFinished(30000)) {
                m_server->kill();
                m_server->waitForFinished(5000);
            }
            if (m_log)
                m_log(QStringLiteral("sandbox: stopped and removed"));
        }
        m_server.reset();
    }
    m_dir.reset(); // removes the data directory
}

} // namespace lifeboat
