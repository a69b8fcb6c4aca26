// SqlCatalog: the backups table and the copies of each backup (backup_locations): write, update with the audit
// trail's status transitions, read, filter and count.
#include "catalog/SqlCatalog.h"

#include "catalog/AuditTrail.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace lifeboat {

namespace {
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
