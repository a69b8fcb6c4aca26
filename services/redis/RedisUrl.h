#pragma once

#include <QString>

namespace lifeboat {

// A Redis endpoint: redis://[USER[:PASSWORD]@]HOST[:PORT][/DB] or rediss:// (TLS). The password is kept apart
// from everything printable: display() never contains it.
class RedisUrl {
public:
    static RedisUrl parse(const QString &url, QString *error);

    bool isValid() const { return !m_host.isEmpty(); }
    bool tls() const { return m_tls; }
    QString host() const { return m_host; }
    int port() const { return m_port; }
    int database() const { return m_db; }
    QString user() const { return m_user; }
    QString password() const { return m_password; }
    void setPassword(const QString &p) { m_password = p; }
    void setUser(const QString &u) { m_user = u; }
    QString hostPort() const { return QStringLiteral("%1:%2").arg(m_host).arg(m_port); }
    // redis[s]://[USER@]HOST:PORT[/DB] — safe for logs, manifests and config.json.
    QString display() const;

private:
    bool m_tls = false;
    QString m_host;
    int m_port = 6379;
    int m_db = 0;
    QString m_user;
    QString m_password;
};

} // namespace lifeboat
