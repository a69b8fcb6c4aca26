#include "catalog/SqlCatalog.h"

#include "catalog/AuditTrail.h"

#include <QJsonArray>
#include <QJsonDocument>
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

QString iso(const QDateTime &t) {
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}
QDateTime fromIso(const QVariant &v) {
    const QString s = v.toString();
    return s.isEmpty() ? QDateTime() : QDateTime::fromString(s, Qt::ISODateWithMs).toUTC();
}
QVariant nullable(const QString &s) {
    return s.isNull() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(s);
}

const char *kColumns =
    "id, profile, database_name, kind, type, filename, size, sha256, plain_sha256, encrypted, "
    "recipients, format, compression, server_version, tool_version, table_count, status, error, "
    "started, finished, duration_ms, expires, label, host, pid, verified_at, verify_outcome, set_id, "
    "scheduled_for, owner, bytes_read, globals";

BackupRecord fromQuery(const QSqlQuery &q) {
    BackupRecord r;
    int i = 0;
    r.id = q.value(i++).toLongLong();
    r.profile = q.value(i++).toString();
    r.database = q.value(i++).toString();
    r.kind = q.value(i++).toString();
    r.type = q.value(i++).toString();
    r.filename = q.value(i++).toString();
    r.size = q.value(i++).toLongLong();
    r.sha256 = q.value(i++).toString();
    r.plainSha256 = q.value(i++).toString();
    r.encrypted = q.value(i++).toInt() != 0;
    for (const auto &v : QJsonDocument::fromJson(q.value(i++).toString().toUtf8()).array())
        r.recipients << v.toString();
    r.format = q.value(i++).toString();
    r.compression = q.value(i++).toString();
    r.serverVersion = q.value(i++).toString();
    r.toolVersion = q.value(i++).toString();
    r.tableCount = q.value(i++).toInt();
    r.status = q.value(i++).toString();
    r.error = q.value(i++).toString();
    r.started = fromIso(q.value(i++));
    r.finished = fromIso(q.value(i++));
    r.durationMs = q.value(i++).toLongLong();
    r.expires = fromIso(q.value(i++));
    r.label = q.value(i++).toString();
    r.host = q.value(i++).toString();
    r.pid = q.value(i++).toLongLong();
    r.verifiedAt = fromIso(q.value(i++));
    r.verifyOutcome = q.value(i++).toString();
    r.setId = q.value(i++).toString();
    r.scheduledFor = fromIso(q.value(i++));
    r.owner = q.value(i++).toString();
    r.bytesRead = q.value(i).isNull() ? -1 : q.value(i).toLongLong();
    ++i;
    r.globals = GlobalsCompanion::fromJson(QJsonDocument::fromJson(q.value(i++).toString().toUtf8()).object());
    return r;
}

void bindRecord(QSqlQuery &q, const BackupRecord &r) {
    q.bindValue(QStringLiteral(":profile"), r.profile);
    q.bindValue(QStringLiteral(":database_name"), r.database);
    q.bindValue(QStringLiteral(":kind"), r.kind);
    q.bindValue(QStringLiteral(":type"), r.type);
    q.bindValue(QStringLiteral(":filename"), r.filename);
    q.bindValue(QStringLiteral(":size"), r.size);
    q.bindValue(QStringLiteral(":sha256"), nullable(r.sha256));
    q.bindValue(QStringLiteral(":plain_sha256"), nullable(r.plainSha256));
    q.bindValue(QStringLiteral(":encrypted"), r.encrypted ? 1 : 0);
    q.bindValue(
        QStringLiteral(":recipients"),
        QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(r.recipients)).toJson(QJsonDocument::Compact)));
    q.bindValue(QStringLiteral(":format"), nullable(r.format));
    q.bindValue(QStringLiteral(":compression"), nullable(r.compression));
    q.bindValue(QStringLiteral(":server_version"), nullable(r.serverVersion));
    q.bindValue(QStringLiteral(":tool_version"), nullable(r.toolVersion));
    q.bindValue(QStringLiteral(":table_count"), r.tableCount);
    q.bindValue(QStringLiteral(":status"), r.status);
    q.bindValue(QStringLiteral(":error"), nullable(r.error));
    q.bindValue(QStringLiteral(":started"), iso(r.started));
    q.bindValue(QStringLiteral(":finished"), nullable(iso(r.finished)));
    q.bindValue(QStringLiteral(":duration_ms"), r.durationMs);
    q.bindValue(QStringLiteral(":expires"), nullable(iso(r.expires)));
    q.bindValue(QStringLiteral(":label"), nullable(r.label));
    q.bindValue(QStringLiteral(":host"), nullable(r.host));
    q.bindValue(QStringLiteral(":pid"), r.pid);
    q.bindValue(QStringLiteral(":verified_at"), nullable(iso(r.verifiedAt)));
    q.bindValue(QStringLiteral(":verify_outcome"), nullable(r.verifyOutcome));
    q.bindValue(QStringLiteral(":set_id"), nullable(r.setId));
    q.bindValue(QStringLiteral(":scheduled_for"), nullable(iso(r.scheduledFor)));
    q.bindValue(QStringLiteral(":owner"), nullable(r.owner));
    q.bindValue(QStringLiteral(":bytes_read"),
                r.bytesRead >= 0 ? QVariant(r.bytesRead) : QVariant(QMetaType(QMetaType::LongLong)));
    q.bindValue(QStringLiteral(":globals"),
                r.globals.present()
                    ? QVariant(QString::fromUtf8(QJsonDocument(r.globals.toJson()).toJson(QJsonDocument::Compact)))
                    : QVariant(QMetaType(QMetaType::QString)));
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
            q.addBindValue(iso(QDateTime::currentDateTimeUtc()));
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

bool SqlCatalog::writeLocations(QSqlDatabase &d, const BackupRecord &r, QString *error) {
    QSqlQuery q(d);
    q.prepare(QStringLiteral("DELETE FROM backup_locations WHERE backup_id = ?"));
    q.addBindValue(r.id);
    if (!q.exec()) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    for (const BackupLocation &l : r.locations) {
        q.prepare(QStringLiteral("INSERT INTO backup_locations (backup_id, storage, kind, path, manifest_path) "
                                 "VALUES (?, ?, ?, ?, ?)"));
        q.addBindValue(r.id);
        q.addBindValue(l.storage);
        q.addBindValue(l.kind);
        q.addBindValue(l.path);
        q.addBindValue(l.manifestPath);
        if (!q.exec()) {
            if (error)
                *error = q.lastError().text();
            return false;
        }
    }
    for (const RemovedCopy &c : r.removedCopies) {
        q.prepare(QStringLiteral("INSERT INTO backup_locations (backup_id, storage, kind, path, manifest_path, "
                                 "removed, removed_reason) VALUES (?, ?, ?, ?, ?, ?, ?)"));
        q.addBindValue(r.id);
        q.addBindValue(c.location.storage);
        q.addBindValue(c.location.kind);
        q.addBindValue(c.location.path);
        q.addBindValue(c.location.manifestPath);
        q.addBindValue(iso(c.removed.isValid() ? c.removed : QDateTime::currentDateTimeUtc()));
        q.addBindValue(c.reason);
        if (!q.exec()) {
            if (error)
                *error = q.lastError().text();
            return false;
        }
    }
    return true;
}

void SqlCatalog::loadLocations(QSqlDatabase &d, BackupRecord &r) {
    QSqlQuery q(d);
    q.prepare(QStringLiteral("SELECT storage, kind, path, manifest_path, removed, removed_reason FROM backup_locations "
                             "WHERE backup_id = ? ORDER BY rowid"));
    // PostgreSQL has no insertion order to return rows in: order them the way a fetch prefers them (local copies,
    // then buckets) and then by name, so every reader of the team catalog sees the same order.
    if (m_driver == QLatin1String("QPSQL"))
        q.prepare(QStringLiteral("SELECT storage, kind, path, manifest_path, removed, removed_reason FROM "
                                 "backup_locations WHERE backup_id = ? ORDER BY CASE kind WHEN 'local' THEN 0 WHEN "
                                 "'s3' THEN 1 ELSE 2 END, storage, path"));
    q.addBindValue(r.id);
    if (!q.exec())
        return;
    while (q.next()) {
        const BackupLocation l{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                               q.value(3).toString()};
        // A removed copy is history, never a location to read from.
        if (q.value(4).toString().isEmpty())
            r.locations.append(l);
        else
            r.removedCopies.append({l, fromIso(q.value(4)), q.value(5).toString()});
    }
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

bool SqlCatalog::insert(BackupRecord &r, QString *error) {
    QSqlDatabase d = db();
    if (!beginWrite(d, error))
        return false;
    QSqlQuery q(d);
    q.prepare(QStringLiteral(
        "INSERT INTO backups (profile, database_name, kind, type, filename, size, sha256, plain_sha256, encrypted, "
        "recipients, format, compression, server_version, tool_version, table_count, status, error, started, "
        "finished, duration_ms, expires, label, host, pid, verified_at, verify_outcome, set_id, scheduled_for, owner, "
        "bytes_read, globals) "
        "VALUES "
        "(:profile, "
        ":database_name, :kind, :type, :filename, :size, :sha256, :plain_sha256, :encrypted, :recipients, :format, "
        ":compression, :server_version, :tool_version, :table_count, :status, :error, :started, :finished, "
        ":duration_ms, :expires, :label, :host, :pid, :verified_at, :verify_outcome, :set_id, :scheduled_for, "
        ":owner, :bytes_read, :globals)"));
    bindRecord(q, r);
    if (!q.exec()) {
        if (error)
            *error = QStringLiteral("catalog insert failed: %1").arg(q.lastError().text());
        d.rollback();
        return false;
    }
    r.id = q.lastInsertId().toLongLong();
    if (!writeLocations(d, r, error)) {
        d.rollback();
        return false;
    }
    if (!d.commit()) {
        if (error)
            *error = QStringLiteral("catalog commit failed: %1").arg(d.lastError().text());
        d.rollback();
        return false;
    }
    // An attempt refused before it started is recorded FAILED at once; a COMPLETED insert is an import, no backup.
    if (r.status != BackupRecord::statusCompleted())
        auditTransition(QString(), r);
    return true;
}

bool SqlCatalog::update(const BackupRecord &r, QString *error) {
    QSqlDatabase d = db();
    if (!beginWrite(d, error))
        return false;
    QSqlQuery q(d);
    q.prepare(QStringLiteral(
        "UPDATE backups SET profile = :profile, database_name = :database_name, kind = :kind, type = :type, "
        "filename = :filename, size = :size, sha256 = :sha256, plain_sha256 = :plain_sha256, encrypted = :encrypted, "
        "recipients = :recipients, format = :format, compression = :compression, server_version = :server_version, "
        "tool_version = :tool_version, table_count = :table_count, status = :status, error = :error, started = "
        ":started, finished = :finished, duration_ms = :duration_ms, expires = :expires, label = :label, host = "
        ":host, pid = :pid, verified_at = :verified_at, verify_outcome = :verify_outcome, set_id = :set_id, "
        "scheduled_for = :scheduled_for, owner = :owner, bytes_read = :bytes_read, globals = :globals WHERE id = :id"));
    bindRecord(q, r);
    q.bindValue(QStringLiteral(":id"), r.id);
    // The audit trail is written from here: every backup's end, prune and delete passes through this update.
    QString before;
    if (AuditTrail::active()) {
        QSqlQuery prev(d);
        prev.prepare(QStringLiteral("SELECT status FROM backups WHERE id = ?"));
        prev.addBindValue(r.id);
        if (prev.exec() && prev.next())
            before = prev.value(0).toString();
    }
    if (!q.exec() || !writeLocations(d, r, error)) {
        if (error && error->isEmpty())
            *error = QStringLiteral("catalog update failed: %1").arg(q.lastError().text());
        d.rollback();
        return false;
    }
    if (!d.commit()) {
        if (error)
            *error = QStringLiteral("catalog commit failed: %1").arg(d.lastError().text());
        d.rollback();
        return false;
    }
    auditTransition(before, r);
    return true;
}

void SqlCatalog::auditTransition(const QString &before, const BackupRecord &r) {
    if (!AuditTrail::active() || before == r.status)
        return;
    const QString target = r.kind == QLatin1String("database") ? r.profile : r.kind + QLatin1Char(':') + r.profile;
    const bool ended = r.status == BackupRecord::statusCompleted() || r.status == BackupRecord::statusFailed() ||
                       r.status == BackupRecord::statusCancelled();
    if (ended && (before.isEmpty() || before == BackupRecord::statusInProgress())) {
        const QString detail = r.status == BackupRecord::statusCompleted()
                                   ? QStringLiteral("%1 (%2 bytes)").arg(r.filename).arg(r.size)
                                   : r.error;
        AuditTrail::record(QStringLiteral("backup"), target, r.status.toLower(), r.id, detail);
    } else if (r.status == BackupRecord::statusExpired()) {
        AuditTrail::record(QStringLiteral("prune"), target, QStringLiteral("expired"), r.id, r.filename);
    } else if (r.status == BackupRecord::statusDeleted()) {
        AuditTrail::record(QStringLiteral("delete"), target, QStringLiteral("deleted"), r.id,
                           before == BackupRecord::statusExpired()
                               ? QStringLiteral("%1 (expired by retention)").arg(r.filename)
                               : r.filename);
    }
}

bool SqlCatalog::setScheduledFor(qint64 id, const QDateTime &fireTime, QString *error) {
    QSqlQuery q(db());
    q.prepare(QStringLiteral("UPDATE backups SET scheduled_for = :scheduled_for WHERE id = :id"));
    q.bindValue(QStringLiteral(":scheduled_for"), nullable(iso(fireTime)));
    q.bindValue(QStringLiteral(":id"), id);
    if (!q.exec()) {
        if (error)
            *error = QStringLiteral("catalog update failed: %1").arg(q.lastError().text());
        return false;
    }
    return true;
}

std::optional<BackupRecord> SqlCatalog::get(qint64 id) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.prepare(QStringLiteral("SELECT %1 FROM backups WHERE id = ?").arg(QLatin1String(kColumns)));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    BackupRecord r = fromQuery(q);
    loadLocations(d, r);
    return r;
}

namespace {
QString whereClause(const CatalogFilter &f, QVariantList &binds) {
    QStringList w;
    if (!f.profile.isEmpty()) {
        w << QStringLiteral("profile = ?");
        binds << f.profile;
    }
    if (!f.status.isEmpty()) {
        w << QStringLiteral("status = ?");
        binds << f.status.toUpper();
    }
    if (!f.kind.isEmpty()) {
        w << QStringLiteral("kind = ?");
        binds << f.kind;
    }
    if (!f.type.isEmpty()) {
        w << QStringLiteral("(',' || type || ',') LIKE ?");
        binds << QStringLiteral("%,%1,%").arg(f.type.toUpper());
    }
    if (!f.setId.isEmpty()) {
        w << QStringLiteral("set_id = ?");
        binds << f.setId;
    }
    if (f.inSetsOnly)
        w << QStringLiteral("set_id IS NOT NULL AND set_id <> ''");
    if (f.since.isValid()) {
        w << QStringLiteral("started >= ?");
        binds << iso(f.since);
    }
    if (f.until.isValid()) {
        w << QStringLiteral("started < ?");
        binds << iso(f.until);
    }
    return w.isEmpty() ? QString() : QStringLiteral(" WHERE ") + w.join(QStringLiteral(" AND "));
}
} // namespace

QList<BackupRecord> SqlCatalog::list(const CatalogFilter &f) {
    QList<BackupRecord> out;
    QSqlDatabase d = db();
    QVariantList binds;
    QString sql = QStringLiteral("SELECT %1 FROM backups").arg(QLatin1String(kColumns)) + whereClause(f, binds) +
                  QStringLiteral(" ORDER BY started DESC, id DESC");
    if (f.limit >= 0)
        sql += QStringLiteral(" LIMIT %1 OFFSET %2").arg(f.limit).arg(f.offset);
    QSqlQuery q(d);
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const auto &b : binds)
        q.addBindValue(b);
    if (!q.exec())
        return out;
    while (q.next())
        out.append(fromQuery(q));
    for (auto &r : out)
        loadLocations(d, r);
    return out;
}

int SqlCatalog::count(const CatalogFilter &f) {
    QSqlDatabase d = db();
    QVariantList binds;
    QSqlQuery q(d);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM backups") + whereClause(f, binds));
    for (const auto &b : binds)
        q.addBindValue(b);
    if (!q.exec() || !q.next())
        return 0;
    return q.value(0).toInt();
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

int SqlCatalog::recoverInterrupted(const QString &host) {
    CatalogFilter f;
    f.status = BackupRecord::statusInProgress();
    int recovered = 0;
    for (BackupRecord r : list(f)) {
        if (r.host != host || processAlive(r.pid))
            continue;
        r.status = BackupRecord::statusFailed();
        r.error = QStringLiteral("interrupted: the process that ran this backup (pid %1) is gone").arg(r.pid);
        r.finished = QDateTime::currentDateTimeUtc();
        QString err;
        if (update(r, &err))
            ++recovered;
    }
    return recovered;
}

bool SqlCatalog::hasFilename(const QString &filename) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.prepare(QStringLiteral("SELECT 1 FROM backups WHERE filename = ?"));
    q.addBindValue(filename);
    return q.exec() && q.next();
}

QStringList SqlCatalog::setIds(const QString &namePrefix) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT set_id, MAX(started) AS newest FROM backups WHERE set_id IS NOT NULL AND "
                             "set_id <> '' GROUP BY set_id ORDER BY newest DESC, set_id DESC"));
    QStringList ids;
    if (!q.exec())
        return ids;
    while (q.next()) {
        const QString id = q.value(0).toString();
        if (id.startsWith(namePrefix))
            ids << id;
    }
    return ids;
}

bool SqlCatalog::hasArtifact(const QString &filename, const QString &sha256) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.prepare(QStringLiteral("SELECT 1 FROM backups WHERE filename = ? AND sha256 = ?"));
    q.addBindValue(filename);
    q.addBindValue(sha256);
    return q.exec() && q.next();
}

} // namespace lifeboat
