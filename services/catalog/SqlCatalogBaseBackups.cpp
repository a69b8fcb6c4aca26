// SqlCatalog: what each base backup covers in WAL terms (schema version 11, table base_backups).
#include "catalog/SqlCatalog.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace lifeboat {

namespace {
QString iso(const QDateTime &t) {
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}
} // namespace

bool SqlCatalog::saveBaseBackup(const BaseBackupInfo &info, QString *error) {
    QSqlDatabase d = db();
    QSqlQuery del(d);
    del.prepare(QStringLiteral("DELETE FROM base_backups WHERE backup_id = ?"));
    del.addBindValue(info.backupId);
    QSqlQuery q(d);
    q.prepare(QStringLiteral("INSERT INTO base_backups (backup_id, timeline, start_lsn, stop_lsn, start_pos, stop_pos,"
                             " start_wal, start_time, stop_time, system_identifier, pg_major)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(info.backupId);
    q.addBindValue(info.timeline);
    q.addBindValue(info.startLsn);
    q.addBindValue(info.stopLsn);
    q.addBindValue(BaseBackupInfo::parseLsn(info.startLsn));
    q.addBindValue(BaseBackupInfo::parseLsn(info.stopLsn));
    q.addBindValue(info.startWalFile);
    q.addBindValue(iso(info.startTime));
    q.addBindValue(iso(info.stopTime));
    q.addBindValue(info.systemIdentifier);
    q.addBindValue(info.pgMajor);
    if (del.exec() && q.exec())
        return true;
    if (error)
        *error = QStringLiteral("cannot record the base backup's WAL range: %1")
                     .arg(q.lastError().isValid() ? q.lastError().text() : del.lastError().text());
    return false;
}

std::optional<BaseBackupInfo> SqlCatalog::baseBackup(qint64 backupId) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.prepare(QStringLiteral("SELECT timeline, start_lsn, stop_lsn, start_wal, start_time, stop_time,"
                             " system_identifier, pg_major FROM base_backups WHERE backup_id = ?"));
    q.addBindValue(backupId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    BaseBackupInfo b;
    b.backupId = backupId;
    b.timeline = q.value(0).toInt();
    b.startLsn = q.value(1).toString();
    b.stopLsn = q.value(2).toString();
    b.startWalFile = q.value(3).toString();
    b.startTime = QDateTime::fromString(q.value(4).toString(), Qt::ISODateWithMs).toUTC();
    b.stopTime = QDateTime::fromString(q.value(5).toString(), Qt::ISODateWithMs).toUTC();
    b.systemIdentifier = q.value(6).toString();
    b.pgMajor = q.value(7).toInt();
    return b;
}

} // namespace lifeboat
