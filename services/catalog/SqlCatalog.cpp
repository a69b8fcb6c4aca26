#include "catalog/SqlCatalog.h"

#include <QMutexLocker>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>
#include <QUuid>
#include <QVariant>

#include <libpq-fe.h>

#include <atomic>
#include <csignal>
#ifdef Q_OS_UNIX
#include <cerrno>
#include <signal.h>
#endif

namespace lifeboat {

namespace {
QString quoteConnValue(const QString &v) {
    QString q = v;
    q.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    q.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

// Each entry is one schema version. Never edit a released entry: append a new one.
QStringList migrations(bool postgres) {
    const QString idType =
        postgres ? QStringLiteral("BIGSERIAL PRIMARY KEY") : QStringLiteral("INTEGER PRIMARY KEY AUTOINCREMENT");
    return {
        // 1: records and their locations
        QStringLiteral("CREATE TABLE backups ("
                       " id %1,"
                       " profile TEXT NOT NULL, database_name TEXT NOT NULL, kind TEXT NOT NULL, type TEXT NOT NULL,"
                       " filename TEXT NOT NULL, size BIGINT NOT NULL DEFAULT 0, sha256 TEXT, plain_sha256 TEXT,"
                       " encrypted INTEGER NOT NULL DEFAULT 0, recipients TEXT, format TEXT, compression TEXT,"
                       " server_version TEXT, tool_version TEXT, table_count INTEGER NOT NULL DEFAULT 0,"
                       " status TEXT NOT NULL, error TEXT, started TEXT NOT NULL, finished TEXT,"
                       " duration_ms BIGINT NOT NULL DEFAULT 0, expires TEXT, label TEXT, host TEXT,"
                       " pid BIGINT NOT NULL DEFAULT 0, verified_at TEXT, verify_outcome TEXT)")
                .arg(idType) +
            QStringLiteral(";CREATE INDEX backups_started ON backups(started)"
                           ";CREATE INDEX backups_profile ON backups(profile, started)"
                           ";CREATE INDEX backups_status ON backups(status)"
                           ";CREATE TABLE backup_locations (backup_id BIGINT NOT NULL REFERENCES backups(id) ON "
                           "DELETE CASCADE, storage TEXT NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL, "
                           "manifest_path TEXT)"
                           ";CREATE INDEX backup_locations_backup ON backup_locations(backup_id)"),
        // 2: schedules (with the SQLite runner lock; PostgreSQL uses advisory locks) and notification channels
        QStringLiteral("CREATE TABLE schedules ("
                       " id %1, name TEXT NOT NULL UNIQUE, source_kind TEXT NOT NULL, profile TEXT NOT NULL,"
                       " cron TEXT NOT NULL, time_zone TEXT, storages TEXT, enabled INTEGER NOT NULL DEFAULT 1,"
                       " missed_policy TEXT NOT NULL, keep_daily INTEGER, keep_weekly INTEGER, keep_monthly INTEGER,"
                       " created TEXT NOT NULL, last_check TEXT, last_run TEXT, last_backup_id BIGINT,"
                       " last_status TEXT, lock_owner TEXT, lock_host TEXT, lock_pid BIGINT, lock_expires TEXT)"
                       ";CREATE TABLE notifiers ("
                       " name TEXT PRIMARY KEY, kind TEXT NOT NULL, url TEXT NOT NULL, tls TEXT, mail_from TEXT,"
                       " mail_to TEXT, user_name TEXT, on_event TEXT NOT NULL, profiles TEXT)")
            .arg(idType),
        // 3: an extra CA bundle for SMTP relays with a private CA
        QStringLiteral("ALTER TABLE notifiers ADD COLUMN ca_file TEXT"),
        // 4: application backup sets: the records captured together share a set id
        QStringLiteral("ALTER TABLE backups ADD COLUMN set_id TEXT"
                       ";CREATE INDEX backups_set ON backups(set_id)"),
        // 5: public keys of manifest signers (this installation's, and others' trusted with `keys trust`)
        QStringLiteral("CREATE TABLE signing_keys (key_id TEXT PRIMARY KEY, public_key TEXT NOT NULL,"
                       " label TEXT, added TEXT NOT NULL)"),
        // 6: retention counts periods (restic forget semantics): a schedule's hourly, yearly, last and within rules,
        // and the fire time a scheduled backup ran for (the period it belongs to)
        QStringLiteral("ALTER TABLE backups ADD COLUMN scheduled_for TEXT"
                       ";ALTER TABLE schedules ADD COLUMN keep_hourly INTEGER"
                       ";ALTER TABLE schedules ADD COLUMN keep_yearly INTEGER"
                       ";ALTER TABLE schedules ADD COLUMN keep_last INTEGER"
                       ";ALTER TABLE schedules ADD COLUMN keep_within BIGINT"),
        // 7: leases of operations reading or deleting a backup (BackupLease): delete/prune refuse a backup in use
        QStringLiteral("CREATE TABLE backup_leases (id %1, backup_id BIGINT NOT NULL, operation TEXT NOT NULL,"
                       " host TEXT NOT NULL, pid BIGINT NOT NULL, started TEXT NOT NULL, expires TEXT NOT NULL)"
                       ";CREATE INDEX backup_leases_backup ON backup_leases(backup_id)")
            .arg(idType),
        // 8: the exact identity of the process running a backup (ProcessIdentity::ownerIdentity: machine-id, boot
        // id, pid namespace, pid, start ticks), so start-up recovery tells a dead run from a live one without
        // comparing wall clocks
        QStringLiteral("ALTER TABLE backups ADD COLUMN owner TEXT"),
        // 9: per-storage retention removes one copy of a record and keeps its other copies: the location row stays,
        // with when and why it was removed (NULL: a live copy)
        QStringLiteral("ALTER TABLE backup_locations ADD COLUMN removed TEXT"
                       ";ALTER TABLE backup_locations ADD COLUMN removed_reason TEXT"),
        // 10: archived WAL (WalFileRecord): one row per stored copy of a segment, partial segment or history file
        QStringLiteral("CREATE TABLE wal_files (id %1, profile TEXT NOT NULL, timeline BIGINT NOT NULL,"
                       " name TEXT NOT NULL, kind TEXT NOT NULL, storage TEXT NOT NULL, path TEXT NOT NULL,"
                       " size BIGINT NOT NULL, sha256 TEXT NOT NULL, plain_sha256 TEXT NOT NULL,"
                       " plain_size BIGINT NOT NULL, encrypted INTEGER NOT NULL DEFAULT 0, stored TEXT NOT NULL)"
                       ";CREATE UNIQUE INDEX wal_files_key ON wal_files(profile, name, kind, storage)"
                       ";CREATE INDEX wal_files_timeline ON wal_files(profile, timeline, name)")
            .arg(idType),
        // 11: base backups' WAL ranges (BaseBackupInfo): where replay starts and where the backup is consistent
        QStringLiteral("CREATE TABLE base_backups (backup_id BIGINT PRIMARY KEY REFERENCES backups(id) ON DELETE"
                       " CASCADE, timeline INTEGER NOT NULL, start_lsn TEXT NOT NULL, stop_lsn TEXT NOT NULL,"
                       " start_pos BIGINT NOT NULL, stop_pos BIGINT NOT NULL, start_wal TEXT, start_time TEXT,"
                       " stop_time TEXT, system_identifier TEXT, pg_major INTEGER)"),
        // 12: recovery drills: a schedule of kind "verify" verifies its profile's newest good backup on this server
        // (NULL: the profile's own server, "@sandbox": a throwaway cluster, else a profile name)
        QStringLiteral("ALTER TABLE schedules ADD COLUMN verify_target TEXT"),
        // 13: the audit trail (AuditTrail): every action, append-only — on SQLite triggers refuse UPDATE and DELETE;
        // a PostgreSQL team catalog makes it insert-only by grants (docs/security.md)
        QStringLiteral("CREATE TABLE audit_log (id %1, at TEXT NOT NULL, os_user TEXT NOT NULL, host TEXT NOT NULL,"
                       " program TEXT NOT NULL, action TEXT NOT NULL, target TEXT, outcome TEXT NOT NULL,"
                       " backup_id BIGINT, detail TEXT)"
                       ";CREATE INDEX audit_log_at ON audit_log(at)")
                .arg(idType) +
            (postgres ? QString()
                      : QStringLiteral(";CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT "
                                       "RAISE(ABORT, 'the audit trail is append-only'); END"
                                       ";CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT "
                                       "RAISE(ABORT, 'the audit trail is append-only'); END")),
        // 14: compression (issue 16): the bytes a backup read before Lifeboat compressed them (History's ratio; NULL
        // in older records), and a schedule's --compress choice (NULL: the default)
        QStringLiteral("ALTER TABLE backups ADD COLUMN bytes_read BIGINT"
                       ";ALTER TABLE schedules ADD COLUMN compression TEXT"),
        // 15: the server's roles dumped with a database backup (GlobalsCompanion as JSON; NULL: none)
        QStringLiteral("ALTER TABLE backups ADD COLUMN globals TEXT"),
    };
}

// A migration's statements, split at ';' — except inside a trigger's BEGIN … END, which holds its own.
QStringList statementsOf(const QString &migration) {
    QStringList out;
    QString pending;
    for (const QString &piece : migration.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        pending = pending.isEmpty() ? piece : pending + QLatin1Char(';') + piece;
        const QString t = pending.trimmed();
        if (t.startsWith(QLatin1String("CREATE TRIGGER")) && !t.endsWith(QLatin1String("END")))
            continue;
        out << pending;
        pending.clear();
    }
    if (!pending.isEmpty())
        out << pending;
    return out;
}

} // namespace

QString SqlCatalog::postgresConnectOptions(const QString &uriOrConninfo) {
    const QString t = uriOrConninfo.trimmed();
    if (!t.startsWith(QLatin1String("postgresql://")) && !t.startsWith(QLatin1String("postgres://")) &&
        !t.contains(QLatin1Char('=')))
        return {}; // a plain database name
    char *err = nullptr;
    PQconninfoOption *opts = PQconninfoParse(t.toUtf8().constData(), &err);
    if (!opts) {
        PQfreemem(err);
        return {};
    }
    QStringList parts;
    for (PQconninfoOption *o = opts; o->keyword; ++o) {
        if (o->val && *o->val)
            parts << QStringLiteral("%1=%2").arg(QString::fromUtf8(o->keyword),
                                                 quoteConnValue(QString::fromUtf8(o->val)));
    }
    PQconninfoFree(opts);
    return parts.join(QLatin1Char(' '));
}

QString SqlCatalog::redacted(const QString &text, const QString &uriOrConninfo) {
    QString out = text;
    // The value libpq would use, however it was written (quoted, percent-encoded): never shown. A very short one
    // is left to the patterns below rather than blotting out every such letter of the message.
    char *err = nullptr;
    if (PQconninfoOption *opts = PQconninfoParse(uriOrConninfo.trimmed().toUtf8().constData(), &err)) {
        for (PQconninfoOption *o = opts; o->keyword; ++o) {
            if (qstrcmp(o->keyword, "password") == 0 && o->val && qstrlen(o->val) >= 4) {
                const QString pw = QString::fromUtf8(o->val);
                out.replace(QString::fromLatin1(QUrl::toPercentEncoding(pw)), QStringLiteral("<redacted>"));
                out.replace(pw, QStringLiteral("<redacted>"));
            }
        }
        PQconninfoFree(opts);
    } else {
        PQfreemem(err);
    }
    static const QRegularExpression keyword(QStringLiteral("(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^\\s&]+)"),
                                            QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression userinfo(QStringLiteral("(://[^:/@\\s]*):[^@\\s]*@"));
    out.replace(keyword, QStringLiteral("\\1<redacted>"));
    out.replace(userinfo, QStringLiteral("\\1:<redacted>@"));
    return out;
}

SqlCatalog::SqlCatalog(QString driver, QString databaseName)
    : m_driver(std::move(driver))
    , m_databaseName(std::move(databaseName))
    , m_connectionPrefix(QStringLiteral("lifeboat-catalog-") + QUuid::createUuid().toString(QUuid::WithoutBraces)) {}

SqlCatalog::~SqlCatalog() {
    QMutexLocker lock(&m_mutex);
    // Only removed, not opened here: database() from another thread than the owner's is refused with a warning,
    // and removeDatabase() closes the connection itself.
    for (const QString &name : std::as_const(m_connections))
        QSqlDatabase::removeDatabase(name);
}

int SqlCatalog::latestSchemaVersion() {
    return static_cast<int>(migrations(false).size());
}

QSqlDatabase SqlCatalog::db() {
    // Qt SQL connections belong to the thread that opened them; every thread gets its own.
    // The key is a serial number given to each thread on first use, never its address: a new thread can reuse a
    // dead one's address, and would then pick up a connection that belongs to the dead thread.
    static std::atomic<quint64> serials{0};
    thread_local const quint64 threadSerial = ++serials;
    const QString name = m_connectionPrefix + QLatin1Char('-') + QString::number(threadSerial);
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name);
    QSqlDatabase d = QSqlDatabase::addDatabase(m_driver, name);
    if (m_driver == QLatin1String("QPSQL")) {
        // QPSQL quotes the database name as dbname='…' for PQconnectdb, which does not expand a URI or conninfo
        // there; the connect options are appended verbatim, so the parsed conninfo goes there instead.
        QString conninfo = postgresConnectOptions(m_databaseName);
        if (conninfo.isEmpty())
            d.setDatabaseName(m_databaseName);
        if (!conninfo.contains(QLatin1String("connect_timeout=")))
            conninfo += QStringLiteral(" connect_timeout=10");
        d.setConnectOptions(conninfo.trimmed());
    } else {
        d.setDatabaseName(m_databaseName);
        d.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    }
    if (d.open() && m_driver == QLatin1String("QSQLITE")) {
        QSqlQuery q(d);
        q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        q.exec(QStringLiteral("PRAGMA foreign_keys=ON"));
        q.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    }
    QMutexLocker lock(&m_mutex);
    m_connections << name;
    return d;
}

bool SqlCatalog::open(QString *error) {
    QSqlDatabase d = db();
    if (!d.isOpen()) {
        if (error)
            *error = QStringLiteral("cannot open the catalog %1: %2")
                         .arg(displayLocation(m_databaseName), redacted(d.lastError().text(), m_databaseName));
        return false;
    }
    return migrate(error);
}

int SqlCatalog::schemaVersion() {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    if (!q.exec(QStringLiteral("SELECT MAX(version) FROM schema_version")) || !q.next())
        return 0;
    return q.value(0).toInt();
}

bool SqlCatalog::migrate(QString *error) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    if (!q.exec(
            QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied TEXT)"))) {
        if (error)
            *error = QStringLiteral("catalog: %1").arg(q.lastError().text());
        return false;
    }
    const int current = schemaVersion();
    const QStringList steps = migrations(m_driver == QLatin1String("QPSQL"));
    if (current > steps.size()) {
        if (error)
            *error = QStringLiteral("the catalog has schema version %1 but this Lifeboat knows only up to %2 — "
                                    "upgrade Lifeboat")
                         .arg(current)
                         .arg(steps.size());
        return false;
    }
    for (int v = current + 1; v <= steps.size(); ++v) {
        if (!beginWrite(d, error))
            return false;
        bool ok = true;
        for (const QString &stmt : statementsOf(steps.at(v - 1))) {
            if (!q.exec(stmt)) {
                ok = false;
                break;
            }
        }
        if (ok) {
            q.prepare(QStringLiteral("INSERT INTO schema_version (version, applied) VALUES (?, ?)"));
            q.addBindValue(v);
            q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
            ok = q.exec();
        }
        if (!ok) {
            const QString why = q.lastError().text();
            d.rollback();
            if (error)
                *error = QStringLiteral("catalog migration %1 failed: %2").arg(v).arg(why);
            return false;
        }
        d.commit();
    }
    return true;
}

bool SqlCatalog::beginWrite(QSqlDatabase &d, QString *error) const {
    if (m_driver != QLatin1String("QSQLITE")) {
        if (d.transaction())
            return true;
        if (error)
            *error = QStringLiteral("catalog: cannot start a transaction: %1").arg(d.lastError().text());
        return false;
    }
    QSqlQuery q(d);
    if (q.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return true;
    if (error)
        *error = QStringLiteral("catalog: cannot start a transaction: %1").arg(q.lastError().text());
    return false;
}

bool SqlCatalog::processAlive(qint64 pid) {
#ifdef Q_OS_UNIX
    if (pid <= 0)
        return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
#else
    Q_UNUSED(pid)
    return true; // without a cheap liveness check, never declare a running job dead
#endif
}

} // namespace lifeboat
