#include "restore/SandboxCluster.h"

#include "core/ChildEnvironment.h"

#include "pg/Conninfo.h"
#include "pg/PgToolLocator.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>

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

QStringList SandboxCluster::asOwner(const QString &program, const QStringList &args, QString *runner) const {
    if (!m_asPostgres) {
        *runner = program;
        return args;
    }
    *runner = QStandardPaths::findExecutable(QStringLiteral("runuser"));
    return QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program} + args;
}

bool SandboxCluster::run(const QString &program, const QStringList &args, Error *error, const QString &what) {
    QString runner;
    const QStringList full = asOwner(program, args, &runner);
    QProcess p;
    p.setProcessEnvironment(ChildEnvironment::minimal()); // the private cluster needs nothing of ours
    p.setProcessChannelMode(QProcess::MergedChannels);
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

bool SandboxCluster::start(Error *error) {
    Error e;
    const PgToolLocator locator(m_pgToolDir);
    const PgToolLocator::Tool initdb = locator.choose(QStringLiteral("initdb"), PgVersion{}, &e);
    if (e) {
        *error = {ExitCode::Usage, QStringLiteral("--sandbox needs the PostgreSQL server binaries (initdb, pg_ctl): %1 "
                                                  "— install the postgresql package or verify on a server instead")
                                       .arg(e.message)};
        return false;
    }
    m_bin = QFileInfo(initdb.path).absolutePath();
    m_version = initdb.version;
    if (!QFileInfo::exists(m_bin + QStringLiteral("/pg_ctl"))) {
        *error = {ExitCode::Usage, QStringLiteral("--sandbox: no pg_ctl beside %1").arg(initdb.path)};
        return false;
    }
    m_asPostgres = ::geteuid() == 0;
    if (m_asPostgres && QStandardPaths::findExecutable(QStringLiteral("runuser")).isEmpty()) {
        *error = {ExitCode::Usage, QStringLiteral("--sandbox as root needs runuser to start PostgreSQL as the postgres "
                                                  "user; run lifeboatctl as an ordinary user instead")};
        return false;
    }
    const QString base = m_workDir.isEmpty() ? QDir::tempPath() : m_workDir;
    m_dir = std::make_unique<QTemporaryDir>(base + QStringLiteral("/lifeboat-sandbox-XXXXXX"));
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
    // No TCP at all: a port number only names the socket file.
    m_port = QRandomGenerator::global()->bounded(20000, 60000);
    const QString opts = QStringLiteral("-c listen_addresses='' -k %1 -p %2 -c fsync=off -c full_page_writes=off")
                             .arg(m_dir->path())
                             .arg(m_port);
    if (!run(m_bin + QStringLiteral("/pg_ctl"),
             {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), m_dir->path() + QStringLiteral("/server.log"),
              QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("-o"), opts,
              QStringLiteral("start")},
             error, QStringLiteral("pg_ctl start")))
        return false;
    m_running = true;
    if (m_log)
        m_log(QStringLiteral("sandbox: PostgreSQL %1 running on socket %2").arg(m_version.toString(), m_dir->path()));
    return true;
}

void SandboxCluster::stop() {
    if (m_running) {
        Error ignored;
        run(m_bin + QStringLiteral("/pg_ctl"),
            {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("immediate"), QStringLiteral("-w"),
             QStringLiteral("stop")},
            &ignored, QStringLiteral("pg_ctl stop"));
        m_running = false;
        if (m_log)
            m_log(QStringLiteral("sandbox: stopped and removed"));
    }
    m_dir.reset(); // removes the data directory
}

} // namespace lifeboat
