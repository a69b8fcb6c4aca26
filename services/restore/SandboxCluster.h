#pragma once

#include "core/ExitCode.h"
#include "pg/PgVersion.h"

#include <QString>
#include <QTemporaryDir>

#include <functional>
#include <memory>

class QProcess;

namespace lifeboat {

// A throwaway PostgreSQL cluster for `verify --sandbox`, so verification never touches a production server:
// initdb into a private temporary directory, a server that listens only on a Unix socket in that directory (no
// TCP port is opened), trust authentication for a "lifeboat" superuser, and on stop an immediate shutdown and
// removal of everything. PostgreSQL refuses to run as root; as root the cluster runs as the "postgres" system
// user (setpriv, or runuser where there is no setpriv), as Debian's own tooling does.
//
// The postmaster is this process's direct child, not a pg_ctl daemon, and asks the kernel for SIGQUIT (immediate
// shutdown) when its parent dies (ParentDeath; setpriv --pdeathsig as root, set after the change of user): a killed
// lifeboatctl takes its sandbox server with it. The directory's name carries the owner (ScratchName), so the next
// start removes what remains, and stops a postmaster that is still there — on systems without parent-death
// signals, or a wedged server — through its postmaster.pid (ScratchSweeper).
class SandboxCluster {
public:
    using LogFn = std::function<void(const QString &)>;

    explicit SandboxCluster(QString pgToolDir = {}, QString workDir = {});
    ~SandboxCluster();

    bool start(Error *error);
    void stop();

    QString conninfo() const; // host=<socket dir> port=<port> user=lifeboat dbname=postgres
    PgVersion version() const { return m_version; }
    QString dataDir() const;
    QString directory() const { return m_dir ? m_dir->path() : QString(); }
    qint64 postmasterPid() const;
    void setLog(LogFn fn) { m_log = std::move(fn); }

private:
    // program + args as the cluster's owner; *runner is what to execute.
    QStringList asOwner(const QString &program, const QStringList &args, const QString &deathSignal,
                        QString *runner) const;
    bool run(const QString &program, const QStringList &args, Error *error, const QString &what);
    bool startServer(Error *error);
    QString serverLogTail() const;

    QString m_pgToolDir;
    QString m_workDir;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_server;
    QString m_bin;
    PgVersion m_version;
    int m_port = 0;
    bool m_asPostgres = false;
    QString m_setpriv; // as root: setpriv (preferred) …
    QString m_runuser; // … or runuser
    LogFn m_log;
};

} // namespace lifeboat
