#include "pitr/ReplicationAccess.h"

#include "pg/PgSession.h"

#include <QRegularExpression>
#include <QScopeGuard>

#include <libpq-fe.h>

#include <vector>

namespace lifeboat {

namespace {
QString quoteRole(const QString &role) {
    QString q = role;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}
} // namespace

QString ReplicationAccess::grantStatement(const QString &user) {
    return QStringLiteral("ALTER ROLE %1 WITH REPLICATION;").arg(quoteRole(user));
}

QString ReplicationAccess::hbaLine(const QString &user, const QString &clientAddress) {
    if (clientAddress.isEmpty())
        return QStringLiteral("local replication %1 scram-sha-256").arg(user);
    return QStringLiteral("host replication %1 %2/%3 scram-sha-256")
        .arg(user, clientAddress,
             clientAddress.contains(QLatin1Char(':')) ? QStringLiteral("128") : QStringLiteral("32"));
}

ReplicationAccess::Report ReplicationAccess::probe(const Conninfo &info, const QString &password) {
    Report r;
    r.user = info.user();
    PgSession session;
    if (!session.connect(info, password)) {
        r.error = session.error();
        r.grant = grantStatement(r.user.isEmpty() ? QStringLiteral("USER") : r.user);
        r.hbaLine = hbaLine(r.user.isEmpty() ? QStringLiteral("USER") : r.user, QStringLiteral("ADDRESS"));
        return r;
    }
    r.serverVersion = session.serverVersion().toString();
    r.user = session.scalar(QStringLiteral("SELECT current_user"));
    // NULL (empty) over a Unix-domain socket; inet prints an IPv4 address without its /32.
    r.clientAddress = session.scalar(QStringLiteral("SELECT host(inet_client_addr())"));
    r.grant = grantStatement(r.user);
    r.hbaLine = hbaLine(r.user, r.clientAddress);
    const Conninfo target = session.effective();
    if (!checkServer(session, &r.error))
        return r;
    session.close();
    r.ok = checkConnection(target.toKeywordString(), password, target.user(), &r.systemIdentifier, &r.error);
    return r;
}

QString ReplicationAccess::replicationHint(const QString &serverMessage, const QString &user) {
    static const QRegularExpression hbaRe(QStringLiteral(
        R"re((?:no pg_hba\.conf entry for|pg_hba\.conf rejects) replication connection (?:for|from) host "([^"]+)")re"));
    const auto m = hbaRe.match(serverMessage);
    if (m.hasMatch()) {
        const QString host = m.captured(1);
        const QString line = hbaLine(user, host == QLatin1String("[local]") ? QString() : host);
        return QStringLiteral("the server's pg_hba.conf has no replication line for this client — add\n    %1\nto "
                              "pg_hba.conf (above any line that would reject it; \"all\" does not match "
                              "replication connections) and reload the server: SELECT pg_reload_conf();")
            .arg(line);
    }
    if (serverMessage.contains(QStringLiteral("must be superuser or replication role")) ||
        serverMessage.contains(QStringLiteral("permission denied to start WAL sender")))
        return QStringLiteral("the role %1 lacks the REPLICATION attribute — as a superuser run: %2")
            .arg(quoteRole(user), grantStatement(user));
    if (serverMessage.contains(QStringLiteral("max_wal_senders")))
        return QStringLiteral("the server has no free WAL sender — raise max_wal_senders in postgresql.conf (and "
                              "restart the server)");
    return {};
}

bool ReplicationAccess::checkServer(PgSession &session, Error *error) {
    const PgVersion server = session.serverVersion();
    if (server.major < 13) {
        *error = {ExitCode::Usage, QStringLiteral("PostgreSQL %1 writes no backup manifest; base backups need "
                                                  "PostgreSQL 13 or later — use `lifeboatctl backup` (dumps)")
                                       .arg(server.toString())};
        return false;
    }
    PgSession::Rows rows;
    if (!session.exec(QStringLiteral("SELECT rolsuper OR rolreplication, current_user FROM pg_roles WHERE rolname = "
                                     "current_user"),
                      {}, &rows) ||
        rows.isEmpty()) {
        *error = session.error();
        return false;
    }
    if (rows.first().at(0) != QLatin1String("t")) {
        *error = {ExitCode::Usage, QStringLiteral("cannot make a base backup: %1")
                                       .arg(replicationHint(QStringLiteral("must be superuser or replication role"),
                                                            rows.first().at(1)))};
        return false;
    }
    rows.clear();
    if (!session.exec(QStringLiteral("SELECT current_setting('wal_level'), current_setting('max_wal_senders')"), {},
                      &rows) ||
        rows.isEmpty()) {
        *error = session.error();
        return false;
    }
    if (rows.first().at(0) == QLatin1String("minimal")) {
        *error = {ExitCode::Usage, QStringLiteral("the server runs with wal_level = minimal, which allows no base "
                                                  "backup — set wal_level = replica in postgresql.conf and restart "
                                                  "the server")};
        return false;
    }
    if (rows.first().at(1).toInt() < 1) {
        *error = {ExitCode::Usage, QStringLiteral("the server allows no WAL senders (max_wal_senders = 0) — set "
                                                  "max_wal_senders = 10 in postgresql.conf and restart the server")};
        return false;
    }
    rows.clear();
    if (!session.exec(QStringLiteral("SELECT spcname, pg_tablespace_location(oid) FROM pg_tablespace WHERE spcname "
                                     "NOT IN ('pg_default', 'pg_global') ORDER BY spcname"),
                      {}, &rows)) {
        *error = session.error();
        return false;
    }
    if (!rows.isEmpty()) {
        QStringList spaces;
        for (const QStringList &r : std::as_const(rows))
            spaces << QStringLiteral("%1 (%2)").arg(r.at(0), r.at(1));
        *error = {ExitCode::Refused,
                  QStringLiteral("the cluster has tablespaces outside its data directory: %1 — a base backup streams "
                                 "one tablespace only. Move their tables and indexes to pg_default (ALTER TABLE … SET "
                                 "TABLESPACE pg_default) and drop them, or back the databases up with `lifeboatctl "
                                 "backup`. Nothing was written.")
                      .arg(spaces.join(QStringLiteral(", ")))};
        return false;
    }
    return true;
}

bool ReplicationAccess::checkConnection(const QString &conninfo, const QString &password, const QString &user,
                                        QString *systemIdentifier, Error *error) {
    // The connection pg_basebackup will make, tried first: pg_hba.conf's "replication" lines and the REPLICATION
    // attribute are checked by the server here, before any store is opened.
    const QByteArray ci = conninfo.toUtf8();
    const QByteArray pw = password.toUtf8();
    std::vector<const char *> keys{"dbname", "replication", "application_name", "connect_timeout"};
    std::vector<const char *> values{ci.constData(), "true", "lifeboat", "10"};
    if (!password.isEmpty()) {
        keys.push_back("password");
        values.push_back(pw.constData());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    PGconn *conn = PQconnectdbParams(keys.data(), values.data(), 1);
    const auto closeConn = qScopeGuard([conn] { PQfinish(conn); });
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        QString why = conn ? QString::fromUtf8(PQerrorMessage(conn)).trimmed() : QStringLiteral("out of memory");
        why.replace(QLatin1Char('\n'), QLatin1Char(' '));
        const QString hint = replicationHint(why, user);
        *error = {hint.isEmpty() ? ExitCode::PgTool : ExitCode::Usage,
                  hint.isEmpty() ? QStringLiteral("replication connection refused: %1").arg(why)
                                 : QStringLiteral("cannot make a base backup: %1\n(server: %2)").arg(hint, why)};
        return false;
    }
    PGresult *res = PQexec(conn, "IDENTIFY_SYSTEM");
    const auto clearRes = qScopeGuard([res] { PQclear(res); });
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1) {
        *error = {ExitCode::PgTool,
                  QStringLiteral("IDENTIFY_SYSTEM failed: %1").arg(QString::fromUtf8(PQerrorMessage(conn)).trimmed())};
        return false;
    }
    if (systemIdentifier)
        *systemIdentifier = QString::fromUtf8(PQgetvalue(res, 0, 0));
    return true;
}

} // namespace lifeboat
