#include "redis/RedisUrl.h"

#include <QUrl>

namespace lifeboat {

RedisUrl RedisUrl::parse(const QString &text, QString *error) {
    RedisUrl r;
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QLatin1String("redis") && scheme != QLatin1String("rediss"))) {
        if (error)
            *error = QStringLiteral("not a Redis URL — expected redis://[USER[:PASSWORD]@]HOST[:PORT][/DB] or "
                                    "rediss://… for TLS");
        return {};
    }
    if (url.host().isEmpty()) {
        if (error)
            *error = QStringLiteral("the Redis URL names no host");
        return {};
    }
    r.m_tls = scheme == QLatin1String("rediss");
    r.m_host = url.host();
    r.m_port = url.port(6379);
    r.m_user = url.userName(QUrl::FullyDecoded);
    r.m_password = url.password(QUrl::FullyDecoded);
    const QString path = url.path().mid(1);
    if (!path.isEmpty()) {
        bool ok = false;
        r.m_db = path.toInt(&ok);
        if (!ok || r.m_db < 0) {
            if (error)
                *error = QStringLiteral("the Redis URL's path must be a database number (/0, /1, …)");
            return {};
        }
    }
    if (error)
        error->clear();
    return r;
}

QString RedisUrl::display() const {
    QString s = m_tls ? QStringLiteral("rediss://") : QStringLiteral("redis://");
    if (!m_user.isEmpty())
        s += QString::fromUtf8(QUrl::toPercentEncoding(m_user)) + QLatin1Char('@');
    s += m_host.contains(QLatin1Char(':')) ? QLatin1Char('[') + m_host + QLatin1Char(']') : m_host;
    s += QLatin1Char(':') + QString::number(m_port);
    if (m_db != 0)
        s += QLatin1Char('/') + QString::number(m_db);
    return s;
}

} // namespace lifeboat
