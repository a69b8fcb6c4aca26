#include "pg/PgSession.h"

#include <libpq-fe.h>

#include <vector>

namespace lifeboat {

PgSession::~PgSession() {
    close();
}

void PgSession::close() {
    if (m_conn) {
        PQfinish(m_conn);
        m_conn = nullptr;
    }
}

bool PgSession::connect(const Conninfo &info, const QString &password, int timeoutSeconds) {
    close();
    m_error = {};
    m_info = info;
    const QByteArray conninfo = info.toKeywordString().toUtf8();
    const QByteArray pw = password.toUtf8();
    const QByteArray timeout = QByteArray::number(timeoutSeconds);
    std::vector<const char *> keys{"dbname", "application_name"};
    std::vector<const char *> values{conninfo.constData(), "lifeboat"};
    if (info.value(QStringLiteral("connect_timeout")).isEmpty()) {
        keys.push_back("connect_timeout");
        values.push_back(timeout.constData());
    }
    if (!password.isEmpty()) {
        keys.push_back("password");
        values.push_back(pw.constData());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    m_conn = PQconnectdbParams(keys.data(), values.data(), 1);
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
        // libpq's connection errors span lines indented by tabs ("…failed: Connection refused\n\tIs the server
        // running on that host…"): one line, single spaces, for logs, records and the app's messages.
        const QString why =
            m_conn ? QString::fromUtf8(PQerrorMessage(m_conn)).simplified() : QStringLiteral("out of memory");
        QString hint;
        if (why.contains(QStringLiteral("password authentication failed")))
            hint = QStringLiteral(" — check the profile's user and password");
        else if (why.contains(QStringLiteral("does not exist")) && why.contains(QStringLiteral("database")))
            hint = QStringLiteral(" — check the database name");
        else if (why.contains(QStringLiteral("no password supplied")))
            hint = QStringLiteral(" — store the password with `profile add --password-stdin` or in ~/.pgpass");
        m_error = {ExitCode::PgTool, QStringLiteral("cannot connect to %1: %2%3").arg(info.hostPort(), why, hint)};
        close();
        return false;
    }
    return true;
}

bool PgSession::failFromConn(const QString &what) {
    QString why = m_conn ? QString::fromUtf8(PQerrorMessage(m_conn)).trimmed() : QStringLiteral("not connected");
    why.replace(QLatin1Char('\t'), QLatin1Char(' '));
    m_error = {ExitCode::PgTool, what.isEmpty() ? why : QStringLiteral("%1: %2").arg(what, why)};
    return false;
}

PgVersion PgSession::serverVersion() const {
    return m_conn ? PgVersion::fromVersionNum(PQserverVersion(m_conn)) : PgVersion{};
}

Conninfo PgSession::effective() const {
    Conninfo c = m_info;
    if (!m_conn)
        return c;
    // With hostaddr, libpq connects to that address and uses host for pgpass/TLS only; both stay as given.
    if (m_info.value(QStringLiteral("hostaddr")).isEmpty())
        c.setValue(QStringLiteral("host"), QString::fromUtf8(PQhost(m_conn)));
    c.setValue(QStringLiteral("port"), QString::fromUtf8(PQport(m_conn)));
    c.setValue(QStringLiteral("user"), QString::fromUtf8(PQuser(m_conn)));
    c.setValue(QStringLiteral("dbname"), QString::fromUtf8(PQdb(m_conn)));
    return c;
}

QString PgSession::serverIdentity() {
    Rows rows;
    if (!exec(QStringLiteral("SELECT system_identifier::text || ':' || current_setting('port') FROM "
                             "pg_control_system()"),
              {}, &rows) ||
        rows.isEmpty())
        return {};
    return rows.first().value(0);
}

QString PgSession::currentDatabase() {
    return m_conn ? QString::fromUtf8(PQdb(m_conn)) : QString();
}

bool PgSession::exec(const QString &sql, const QStringList &params, Rows *rows) {
    if (!m_conn)
        return failFromConn({});
    std::vector<QByteArray> storage;
    std::vector<const char *> values;
    storage.reserve(static_cast<size_t>(params.size()));
    for (const QString &p : params) {
        storage.push_back(p.toUtf8());
        values.push_back(p.isNull() ? nullptr : storage.back().constData());
    }
    PGresult *res = PQexecParams(m_conn, sql.toUtf8().constData(), static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0);
    const ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        QString why = QString::fromUtf8(PQresultErrorMessage(res)).trimmed();
        why.replace(QLatin1Char('\t'), QLatin1Char(' '));
        PQclear(res);
        m_error = {ExitCode::PgTool, why};
        return false;
    }
    if (rows) {
        rows->clear();
        const int n = PQntuples(res);
        const int cols = PQnfields(res);
        rows->reserve(n);
        for (int r = 0; r < n; ++r) {
            QStringList row;
            row.reserve(cols);
            for (int c = 0; c < cols; ++c)
                row << (PQgetisnull(res, r, c) ? QString() : QString::fromUtf8(PQgetvalue(res, r, c)));
            rows->append(row);
        }
    }
    PQclear(res);
    return true;
}

QString PgSession::scalar(const QString &sql, const QStringList &params) {
    Rows rows;
    if (!exec(sql, params, &rows) || rows.isEmpty() || rows.first().isEmpty())
        return {};
    return rows.first().first();
}

QString PgSession::quoteIdent(const QString &ident) const {
    const QByteArray raw = ident.toUtf8();
    if (!m_conn) // quoting by the documented rule when there is no connection to ask
        return QLatin1Char('"') + QString(ident).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    char *q = PQescapeIdentifier(m_conn, raw.constData(), static_cast<size_t>(raw.size()));
    const QString out = QString::fromUtf8(q);
    PQfreemem(q);
    return out;
}

QString PgSession::quoteQualified(const QString &schema, const QString &name) const {
    return quoteIdent(schema) + QLatin1Char('.') + quoteIdent(name);
}

QList<PgSession::DatabaseInfo> PgSession::databases() {
    QList<DatabaseInfo> out;
    Rows rows;
    if (!exec(QStringLiteral("SELECT datname, pg_database_size(oid) FROM pg_database WHERE datallowconn AND NOT "
                             "datistemplate ORDER BY datname"),
              {}, &rows))
        return out;
    for (const auto &r : rows)
        out.append({r.at(0), r.at(1).toLongLong()});
    return out;
}

QList<PgSession::TableInfo> PgSession::tables() {
    QList<TableInfo> out;
    Rows rows;
    // Ordinary and partitioned-leaf tables, as pg_dump dumps them (partition parents hold no rows themselves).
    if (!exec(QStringLiteral("SELECT n.nspname, c.relname, pg_table_size(c.oid), GREATEST(c.reltuples, 0)::bigint "
                             "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                             "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                             "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
                             "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') "
                             "ORDER BY 1, 2"),
              {}, &rows))
        return out;
    for (const auto &r : rows)
        out.append({r.at(0), r.at(1), r.at(2).toLongLong(), r.at(3).toLongLong()});
    return out;
}

qint64 PgSession::exactRowCount(const QString &schema, const QString &table) {
    const QString n = scalar(QStringLiteral("SELECT count(*) FROM %1").arg(quoteQualified(schema, table)));
    return n.isEmpty() ? -1 : n.toLongLong();
}

QList<PgSession::Connection> PgSession::activeConnections(const QString &database) {
    QList<Connection> out;
    Rows rows;
    if (!exec(QStringLiteral("SELECT pid, usename, application_name, COALESCE(client_addr::text, 'local'), "
                             "COALESCE(state, '') FROM pg_stat_activity WHERE datname = $1 AND pid <> "
                             "pg_backend_pid() ORDER BY pid"),
              {database}, &rows))
        return out;
    for (const auto &r : rows)
        out.append({r.at(0).toInt(), r.at(1), r.at(2), r.at(3), r.at(4)});
    return out;
}

bool PgSession::databaseExists(const QString &name) {
    return scalar(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = $1"), {name}) == QLatin1String("1");
}

bool PgSession::createDatabase(const QString &name) {
    return exec(QStringLiteral("CREATE DATABASE %1").arg(quoteIdent(name)));
}

bool PgSession::dropDatabase(const QString &name) {
    return exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(quoteIdent(name)));
}

int PgSession::terminateBackends(const QString &database) {
    Rows rows;
    if (!exec(QStringLiteral("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND "
                             "pid <> pg_backend_pid()"),
              {database}, &rows))
        return -1;
    return rows.isEmpty() ? 0 : rows.first().first().toInt();
}

QString PgSession::beginExportedSnapshot() {
    if (!exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")))
        return {};
    return scalar(QStringLiteral("SELECT pg_export_snapshot()"));
}

} // namespace lifeboat
