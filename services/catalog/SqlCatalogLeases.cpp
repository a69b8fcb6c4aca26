// SqlCatalog: leases of operations on a backup (schema 7, BackupLease). Plain rows in both SQLite and the PostgreSQL
// team catalog, so every machine sharing the catalog sees them; a crashed holder is recognised by its pid (same host)
// or by the lease's expiry (another host).
#include "catalog/SqlCatalog.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QVariant>

#include <unistd.h>

namespace lifeboat {

namespace {
QString leaseTime(const QDateTime &t) {
    return t.toUTC().toString(Qt::ISODateWithMs);
}
} // namespace

qint64 SqlCatalog::acquireLease(qint64 backupId, const QString &operation, int ttlSeconds, QString *error) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    q.prepare(QStringLiteral("INSERT INTO backup_leases (backup_id, operation, host, pid, started, expires) "
                             "VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(backupId);
    q.addBindValue(operation);
    q.addBindValue(QSysInfo::machineHostName());
    q.addBindValue(qint64(::getpid()));
    q.addBindValue(leaseTime(now));
    q.addBindValue(leaseTime(now.addSecs(ttlSeconds)));
    if (!q.exec()) {
        if (error)
            *error = QStringLiteral("catalog: recording the %1 of backup #%2: %3")
                         .arg(operation)
                         .arg(backupId)
                         .arg(q.lastError().text());
        return 0;
    }
    return q.lastInsertId().toLongLong();
}

void SqlCatalog::releaseLease(qint64 leaseId) {
    if (leaseId <= 0)
        return;
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.prepare(QStringLiteral("DELETE FROM backup_leases WHERE id = ?"));
    q.addBindValue(leaseId);
    q.exec();
}

bool SqlCatalog::renewLease(qint64 leaseId, int ttlSeconds) {
    if (leaseId <= 0)
        return false;
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.prepare(QStringLiteral("UPDATE backup_leases SET expires = ? WHERE id = ?"));
    q.addBindValue(leaseTime(QDateTime::currentDateTimeUtc().addSecs(ttlSeconds)));
    q.addBindValue(leaseId);
    return q.exec() && q.numRowsAffected() == 1;
}

QList<BackupLease> SqlCatalog::otherLeases(qint64 backupId, qint64 exceptId) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.prepare(QStringLiteral("SELECT id, operation, host, pid, started, expires FROM backup_leases "
                             "WHERE backup_id = ? AND id <> ? ORDER BY id"));
    q.addBindValue(backupId);
    q.addBindValue(exceptId);
    QList<BackupLease> live;
    QList<qint64> stale;
    if (!q.exec())
        return live;
    const QString host = QSysInfo::machineHostName();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    while (q.next()) {
        BackupLease l;
        l.id = q.value(0).toLongLong();
        l.backupId = backupId;
        l.operation = q.value(1).toString();
        l.host = q.value(2).toString();
        l.pid = q.value(3).toLongLong();
        l.started = QDateTime::fromString(q.value(4).toString(), Qt::ISODateWithMs).toUTC();
        l.expires = QDateTime::fromString(q.value(5).toString(), Qt::ISODateWithMs).toUTC();
        if (l.expires < now || (l.host == host && !processAlive(l.pid)))
            stale << l.id;
        else
            live << l;
    }
    q.finish(); // no open read statement while writing (SQLite WAL snapshot upgrade)
    for (qint64 id : std::as_const(stale))
        releaseLease(id);
    return live;
}

} // namespace lifeboat
