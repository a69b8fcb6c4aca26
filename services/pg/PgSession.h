#pragma once

#include "core/ExitCode.h"
#include "pg/Conninfo.h"
#include "pg/PgVersion.h"

#include <QList>
#include <QString>
#include <QStringList>

struct pg_conn;

namespace lifeboat {

// A libpq connection. Blocking: use it from a worker thread or the CLI, never the GUI thread. Identifiers that
// reach SQL text are always quoted with PQescapeIdentifier; values go as parameters.
class PgSession {
public:
    struct TableInfo {
        QString schema;
        QString name;
        qint64 bytes = 0;         // pg_table_size: heap + TOAST, no indexes
        qint64 estimatedRows = 0; // reltuples (-1 when never analyzed, reported as 0)
        QString qualified() const { return schema + QLatin1Char('.') + name; }
    };
    struct DatabaseInfo {
        QString name;
        qint64 bytes = 0;
    };
    struct Connection {
        int pid = 0;
        QString user;
        QString application;
        QString clientAddress;
        QString state;
    };
    using Rows = QList<QStringList>;

    PgSession() = default;
    ~PgSession();
    PgSession(const PgSession &) = delete;
    PgSession &operator=(const PgSession &) = delete;

    // password: empty lets libpq use its own sources (PGPASSWORD, ~/.pgpass, service file).
    bool connect(const Conninfo &info, const QString &password, int timeoutSeconds = 10);
    void close();
    bool isOpen() const { return m_conn != nullptr; }
    const Error &error() const { return m_error; }

    PgVersion serverVersion() const;
    // The connection string of the connection libpq actually made: host (or socket directory), port, user and
    // database as libpq resolved them from the string, PG* variables and service files. Children get this, every
    // parameter explicit, so they reach the server this session checked whatever their environment says.
    Conninfo effective() const;
    // What the server says about itself: pg_control_system()'s system_identifier and the port it listens on
    // ("7315…:5432"). Two spellings of one server (localhost, 127.0.0.1, a DNS name) give the same identity.
    // Empty when it cannot be read.
    QString serverIdentity();
    QString currentDatabase();

    // Runs SQL with text parameters; rows as text (NULL as a null QString).
    bool exec(const QString &sql, const QStringList &params = {}, Rows *rows = nullptr);
    QString scalar(const QString &sql, const QStringList &params = {});

    QString quoteIdent(const QString &ident) const;
    QString quoteQualified(const QString &schema, const QString &name) const;

    QList<DatabaseInfo> databases();
    QList<TableInfo> tables();
    qint64 exactRowCount(const QString &schema, const QString &table);
    QList<Connection> activeConnections(const QString &database);
    bool databaseExists(const QString &name);
    bool createDatabase(const QString &name);
    bool dropDatabase(const QString &name);
    int terminateBackends(const QString &database);

    // REPEATABLE READ, read-only transaction with an exported snapshot: pg_dump --snapshot sees exactly what this
    // session counts, for as long as the transaction stays open.
    QString beginExportedSnapshot();

private:
    bool failFromConn(const QString &what);

    pg_conn *m_conn = nullptr;
    Conninfo m_info;
    Error m_error;
};

} // namespace lifeboat
