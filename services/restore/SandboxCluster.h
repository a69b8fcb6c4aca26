#pragma once

#include "core/ExitCode.h"
#include "pg/PgVersion.h"

#include <QString>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace lifeboat {

// A throwaway PostgreSQL cluster for `verify --sandbox`, so verification never touches a production server:
// initdb into a private temporary directory, a server that listens only on a Unix socket in that directory (no
// TCP port is opened), trust authentication for a "lifeboat" superuser, and on stop an immediate shutdown and
// removal of everything. PostgreSQL refuses to run as root; as root the cluster runs as the "postgres" system
// user (runuser), as Debian's own tooling does.
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
    void setLog(LogFn fn) { m_log = std::move(fn); }

private:
    QStringList asOwner(const QString &program, const QStringList &args, QString *runner) const;
    bool run(const QString &program, const QStringList &args, Error *error, const QString &what);

    QString m_pgToolDir;
    QString m_workDir;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_bin;
    PgVersion m_version;
    int m_port = 0;
    bool m_running = false;
    bool m_asPostgres = false;
    LogFn m_log;
};

} // namespace lifeboat
