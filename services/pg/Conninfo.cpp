#include "pg/Conninfo.h"

#include <libpq-fe.h>

namespace lifeboat {

Conninfo Conninfo::parse(const QString &text, Error *error) {
    Conninfo c;
    char *err = nullptr;
    PQconninfoOption *opts = PQconninfoParse(text.toUtf8().constData(), &err);
    if (!opts) {
        const QString why = err ? QString::fromUtf8(err).trimmed() : QStringLiteral("out of memory");
        PQfreemem(err);
        if (error)
            *error = {ExitCode::Usage, QStringLiteral("invalid connection string: %1").arg(why)};
        return c;
    }
    for (PQconninfoOption *o = opts; o->keyword; ++o) {
        if (!o->val)
            continue;
        const QString key = QString::fromUtf8(o->keyword);
        const QString val = QString::fromUtf8(o->val);
        if (key == QLatin1String("sslpassword")) {
            // libpq takes it from the connection string only, which would put it on pg_dump's command line.
            PQconninfoFree(opts);
            if (error)
                *error = {ExitCode::Usage,
                          QStringLiteral("sslpassword in a connection string would reach the pg tools' "
                                         "command line; put it in a service file (pg_service.conf, "
                                         "then service=NAME) or use an unencrypted client key with "
                                         "0600 permissions")};
            return Conninfo{};
        }
        if (key == QLatin1String("password"))
            c.m_password = val;
        else
            c.m_values.append({key, val});
    }
    PQconninfoFree(opts);
    c.m_valid = true;
    return c;
}

QString Conninfo::value(const QString &keyword) const {
    for (const auto &kv : m_values) {
        if (kv.first == keyword)
            return kv.second;
    }
    return {};
}

void Conninfo::setValue(const QString &keyword, const QString &value) {
    for (auto &kv : m_values) {
        if (kv.first == keyword) {
            kv.second = value;
            return;
        }
    }
    m_values.append({keyword, value});
}

QString Conninfo::host() const {
    return value(QStringLiteral("host"));
}
QString Conninfo::port() const {
    return value(QStringLiteral("port"));
}
QString Conninfo::dbname() const {
    return value(QStringLiteral("dbname"));
}
QString Conninfo::user() const {
    return value(QStringLiteral("user"));
}

QString Conninfo::hostPort() const {
    QString h = host();
    if (h.isEmpty())
        h = qEnvironmentVariable("PGHOST", QStringLiteral("localhost"));
    QString p = port();
    if (p.isEmpty())
        p = qEnvironmentVariable("PGPORT", QStringLiteral("5432"));
    return h + QLatin1Char(':') + p;
}

QString Conninfo::quoteValue(const QString &v) {
    QString out = v;
    out.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    out.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString Conninfo::toKeywordString() const {
    QStringList parts;
    for (const auto &kv : m_values)
        parts << kv.first + QLatin1Char('=') + quoteValue(kv.second);
    return parts.join(QLatin1Char(' '));
}

Conninfo Conninfo::withDatabase(const QString &db) const {
    Conninfo c = *this;
    c.setValue(QStringLiteral("dbname"), db);
    return c;
}

} // namespace lifeboat
