// SqlCatalog: schedules, their runner lock and notification channels (schema version 2). Kept apart from the
// backup records so each file stays readable.
#include "catalog/SqlCatalog.h"

#include "catalog/AuditTrail.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QVariant>

#include <unistd.h>

namespace lifeboat {

namespace {
QString isoTime(const QDateTime &t) {
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}
QDateTime timeFrom(const QVariant &v) {
    const QString s = v.toString();
    return s.isEmpty() ? QDateTime() : QDateTime::fromString(s, Qt::ISODateWithMs).toUTC();
}
QVariant nullText(const QString &s) {
    return s.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(s);
}
QVariant nullCount(int n) {
    return n < 0 ? QVariant(QMetaType(QMetaType::Int)) : QVariant(n);
}
QString listText(const QStringList &l) {
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(l)).toJson(QJsonDocument::Compact));
}
QStringList textList(const QVariant &v) {
    QStringList out;
    for (const auto &e : QJsonDocument::fromJson(v.toString().toUtf8()).array())
        out << e.toString();
    return out;
}
int countFrom(const QVariant &v) {
    return v.isNull() ? -1 : v.toInt();
}
bool failed(QString *error, const QString &what, const QSqlQuery &q) {
    if (error)
        *error = QStringLiteral("catalog: %1: %2").arg(what, q.lastError().text());
    return false;
}

const char *kScheduleColumns =
    "id, name, source_kind, profile, cron, time_zone, storages, enabled, missed_policy, keep_daily, keep_weekly, "
    "keep_monthly, created, last_check, last_run, last_backup_id, last_status, lock_owner, lock_expires, keep_hourly, "
    "keep_yearly, keep_last, keep_within, verify_target, compression";

ScheduleRecord scheduleFrom(const QSqlQuery &q) {
    ScheduleRecord s;
    int i = 0;
    s.id = q.value(i++).toLongLong();
    s.name = q.value(i++).toString();
    s.sourceKind = q.value(i++).toString();
    s.profile = q.value(i++).toString();
    s.cron = q.value(i++).toString();
    s.timeZone = q.value(i++).toString();
    s.storages = textList(q.value(i++));
    s.enabled = q.value(i++).toInt() != 0;
    s.missedPolicy = q.value(i++).toString();
    s.keepDaily = countFrom(q.value(i++));
    s.keepWeekly = countFrom(q.value(i++));
    s.keepMonthly = countFrom(q.value(i++));
    s.created = timeFrom(q.value(i++));
    s.lastCheck = timeFrom(q.value(i++));
    s.lastRun = timeFrom(q.value(i++));
    s.lastBackupId = q.value(i++).toLongLong();
    s.lastStatus = q.value(i++).toString();
    s.lockOwner = q.value(i++).toString();
    s.lockExpires = timeFrom(q.value(i++));
    s.keepHourly = countFrom(q.value(i++));
    s.keepYearly = countFrom(q.value(i++));
    s.keepLast = countFrom(q.value(i++));
    s.keepWithinSeconds = q.value(i).isNull() ? -1 : q.value(i).toLongLong();
    ++i;
    s.verifyTarget = q.value(i++).toString();
    s.compression = q.value(i++).toString();
    return s;
}

// Advisory lock keys: a fixed class id for Lifeboat schedules and the schedule name's hash as the object id.
constexpr int kAdvisoryClass = 0x4C42; // "LB"
} // namespace

bool SqlCatalog::saveSchedule(ScheduleRecord &s, QString *error) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    if (!s.created.isValid())
        s.created = QDateTime::currentDateTimeUtc();
    // Editing a schedule never moves its last check: only the runners do (markScheduleChecked), and a stale copy
    // written back from an editor that was open across a run would make that run owed again.
    const bool exists = schedule(s.name).has_value();
    q.prepare(
        exists ? QStringLiteral("UPDATE schedules SET source_kind = :source_kind, profile = :profile, cron = "
                                ":cron, time_zone = :time_zone, storages = :storages, enabled = :enabled, "
                                "missed_policy = :missed_policy, keep_daily = :keep_daily, keep_weekly = "
                                ":keep_weekly, keep_monthly = :keep_monthly, keep_hourly = :keep_hourly, keep_yearly = "
                                ":keep_yearly, keep_last = :keep_last, keep_within = :keep_within, verify_target = "
                                ":verify_target, compression = :compression, created = "
                                ":created, last_check = "
                                "COALESCE(last_check, :last_check) WHERE name = :name")
               : QStringLiteral("INSERT INTO schedules (name, source_kind, profile, cron, time_zone, storages, "
                                "enabled, missed_policy, keep_daily, keep_weekly, keep_monthly, keep_hourly, "
                                "keep_yearly, keep_last, keep_within, verify_target, compression, created, "
                                "last_check) VALUES (:name, :source_kind, :profile, :cron, :time_zone, :storages, "
                                ":enabled, :missed_policy, :keep_daily, :keep_weekly, :keep_monthly, :keep_hourly, "
                                ":keep_yearly, :keep_last, :keep_within, :verify_target, :compression, :created, "
                                ":last_check)"));
    q.bindValue(QStringLiteral(":name"), s.name);
    q.bindValue(QStringLiteral(":source_kind"), s.sourceKind);
    q.bindValue(QStringLiteral(":profile"), s.profile);
    q.bindValue(QStringLiteral(":cron"), s.cron);
    q.bindValue(QStringLiteral(":time_zone"), nullText(s.timeZone));
    q.bindValue(QStringLiteral(":storages"), listText(s.storages));
    q.bindValue(QStringLiteral(":enabled"), s.enabled ? 1 : 0);
    q.bindValue(QStringLiteral(":missed_policy"), s.missedPolicy);
    q.bindValue(QStringLiteral(":keep_daily"), nullCount(s.keepDaily));
    q.bindValue(QStringLiteral(":keep_weekly"), nullCount(s.keepWeekly));
    q.bindValue(QStringLiteral(":keep_monthly"), nullCount(s.keepMonthly));
    q.bindValue(QStringLiteral(":keep_hourly"), nullCount(s.keepHourly));
    q.bindValue(QStringLiteral(":keep_yearly"), nullCount(s.keepYearly));
    q.bindValue(QStringLiteral(":keep_last"), nullCount(s.keepLast));
    q.bindValue(QStringLiteral(":keep_within"),
                s.keepWithinSeconds < 0 ? QVariant(QMetaType(QMetaType::LongLong)) : QVariant(s.keepWithinSeconds));
    q.bindValue(QStringLiteral(":verify_target"), nullText(s.verifyTarget));
    q.bindValue(QStringLiteral(":compression"), nullText(s.compression));
    q.bindValue(QStringLiteral(":created"), isoTime(s.created));
    q.bindValue(QStringLiteral(":last_check"), nullText(isoTime(s.lastCheck)));
    if (!q.exec())
        return failed(error, QStringLiteral("saving schedule \"%1\"").arg(s.name), q);
    if (const auto saved = schedule(s.name))
        s.id = saved->id;
    AuditTrail::record(exists ? QStringLiteral("schedule.change") : QStringLiteral("schedule.add"), s.name,
                       QStringLiteral("ok"), 0, QStringLiteral("%1 %2, cron %3").arg(s.sourceKind, s.profile, s.cron));
    return true;
}

std::optional<ScheduleRecord> SqlCatalog::schedule(const QString &name) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.prepare(QStringLiteral("SELECT %1 FROM schedules WHERE name = ?").arg(QLatin1String(kScheduleColumns)));
    q.addBindValue(name);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return scheduleFrom(q);
}

QList<ScheduleRecord> SqlCatalog::schedules() {
    QList<ScheduleRecord> out;
    QSqlDatabase d = db();
    QSqlQuery q(d);
    if (!q.exec(QStringLiteral("SELECT %1 FROM schedules ORDER BY name").arg(QLatin1String(kScheduleColumns))))
        return out;
    while (q.next())
        out << scheduleFrom(q);
    return out;
}

bool SqlCatalog::removeSchedule(const QString &name, QString *error) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.prepare(QStringLiteral("DELETE FROM schedules WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec())
        return failed(error, QStringLiteral("removing schedule \"%1\"").arg(name), q);
    if (q.numRowsAffected() < 1) {
        if (error)
            *error = QStringLiteral("no schedule named \"%1\" (see `lifeboatctl schedule list`)").arg(name);
        return false;
    }
    AuditTrail::record(QStringLiteral("schedule.remove"), name, QStringLiteral("ok"));
    return true;
}

bool SqlCatalog::markScheduleChecked(const QString &name, const QDateTime &checked, const QDateTime &ran,
                                     qint64 backupId, const QString &status, QString *error) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    if (ran.isValid()) {
        q.prepare(QStringLiteral("UPDATE schedules SET last_check = ?, last_run = ?, last_backup_id = ?, "
                                 "last_status = ? WHERE name = ?"));
        q.addBindValue(isoTime(checked));
        q.addBindValue(isoTime(ran));
        q.addBindValue(backupId);
        q.addBindValue(status);
    } else {
        q.prepare(QStringLiteral("UPDATE schedules SET last_check = ? WHERE name = ?"));
        q.addBindValue(isoTime(checked));
    }
    q.addBindValue(name);
    if (!q.exec())
        return failed(error, QStringLiteral("recording the run of schedule \"%1\"").arg(name), q);
    return true;
}

bool SqlCatalog::recordScheduleRun(const QString &name, const QDateTime &ran, qint64 backupId, const QString &status,
                                   QString *error) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.prepare(QStringLiteral("UPDATE schedules SET last_run = ?, last_backup_id = ?, last_status = ? WHERE name = ?"));
    q.addBindValue(isoTime(ran));
    q.addBindValue(backupId);
    q.addBindValue(status);
    q.addBindValue(name);
    if (!q.exec())
        return failed(error, QStringLiteral("recording the run of schedule \"%1\"").arg(name), q);
    return true;
}

bool SqlCatalog::tryLockSchedule(const QString &name, const QString &owner, int ttlSeconds, QString *error) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    if (isPostgres()) {
        // A session advisory lock: shared by every workstation and runner on this catalog, and released by the
        // server if this process dies, so a crashed runner never blocks the schedule.
        q.prepare(QStringLiteral("SELECT pg_try_advisory_lock(?, hashtext(?))"));
        q.addBindValue(kAdvisoryClass);
        q.addBindValue(name);
        if (!q.exec() || !q.next())
            return failed(error, QStringLiteral("locking schedule \"%1\"").arg(name), q);
        return q.value(0).toBool();
    }
    const QString host = QSysInfo::machineHostName();
    // A lock left by a dead process on this host is released at once rather than after its TTL.
    q.prepare(QStringLiteral("SELECT lock_owner, lock_host, lock_pid FROM schedules WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec() || !q.next())
        return failed(error, QStringLiteral("reading the lock of schedule \"%1\"").arg(name), q);
    const QString held = q.value(0).toString();
    const QString heldHost = q.value(1).toString();
    const qint64 heldPid = q.value(2).toLongLong();
    // An open read statement pins a WAL snapshot, and upgrading that to a write fails at once with "database is
    // locked" (no busy wait) when another runner wrote meanwhile: close it before writing.
    q.finish();
    if (!held.isEmpty() && heldHost == host && !processAlive(heldPid)) {
        QSqlQuery clear(d);
        clear.prepare(QStringLiteral("UPDATE schedules SET lock_owner = NULL WHERE name = ? AND lock_owner = ?"));
        clear.addBindValue(name);
        clear.addBindValue(held);
        clear.exec();
    }
    // One UPDATE is atomic in SQLite (its own transaction, under the database write lock, waiting up to the busy
    // timeout for it): of two runners, exactly one changes the row.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    q.prepare(QStringLiteral("UPDATE schedules SET lock_owner = ?, lock_host = ?, lock_pid = ?, lock_expires = ? "
                             "WHERE name = ? AND (lock_owner IS NULL OR lock_expires < ?)"));
    q.addBindValue(owner);
    q.addBindValue(host);
    q.addBindValue(qint64(::getpid()));
    q.addBindValue(isoTime(now.addSecs(ttlSeconds)));
    q.addBindValue(name);
    q.addBindValue(isoTime(now));
    if (!q.exec())
        return failed(error, QStringLiteral("locking schedule \"%1\"").arg(name), q);
    return q.numRowsAffected() == 1;
}

void SqlCatalog::unlockSchedule(const QString &name, const QString &owner) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    if (isPostgres()) {
        q.prepare(QStringLiteral("SELECT pg_advisory_unlock(?, hashtext(?))"));
        q.addBindValue(kAdvisoryClass);
        q.addBindValue(name);
        q.exec();
        return;
    }
    q.prepare(QStringLiteral("UPDATE schedules SET lock_owner = NULL, lock_host = NULL, lock_pid = NULL, "
                             "lock_expires = NULL WHERE name = ? AND lock_owner = ?"));
    q.addBindValue(name);
    q.addBindValue(owner);
    q.exec();
}

bool SqlCatalog::saveNotifier(const NotifierRecord &n, QString *error) {
    QSqlDatabase d = db();
    if (!beginWrite(d, error))
        return false;
    QSqlQuery q(d);
    q.prepare(QStringLiteral("DELETE FROM notifiers WHERE name = ?"));
    q.addBindValue(n.name);
    if (!q.exec()) {
        d.rollback();
        return failed(error, QStringLiteral("saving notifier \"%1\"").arg(n.name), q);
    }
    q.prepare(QStringLiteral("INSERT INTO notifiers (name, kind, url, tls, mail_from, mail_to, user_name, on_event, "
                             "profiles, ca_file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(n.name);
    q.addBindValue(n.kind);
    q.addBindValue(n.url);
    q.addBindValue(nullText(n.tls));
    q.addBindValue(nullText(n.mailFrom));
    q.addBindValue(listText(n.mailTo));
    q.addBindValue(nullText(n.user));
    q.addBindValue(n.on);
    q.addBindValue(listText(n.profiles));
    q.addBindValue(nullText(n.caFile));
    if (!q.exec()) {
        d.rollback();
        return failed(error, QStringLiteral("saving notifier \"%1\"").arg(n.name), q);
    }
    if (!d.commit())
        return failed(error, QStringLiteral("saving notifier \"%1\"").arg(n.name), q);
    // The kind and where it posts, never a URL (it may be the secret) or a password.
    AuditTrail::record(QStringLiteral("notifier.change"), n.name, QStringLiteral("ok"), 0,
                       QStringLiteral("%1, on %2").arg(n.kind, n.on));
    return true;
}

QList<NotifierRecord> SqlCatalog::notifiers() {
    QList<NotifierRecord> out;
    QSqlDatabase d = db();
    QSqlQuery q(d);
    if (!q.exec(QStringLiteral("SELECT name, kind, url, tls, mail_from, mail_to, user_name, on_event, profiles, "
                               "ca_file FROM notifiers ORDER BY name")))
        return out;
    while (q.next()) {
        NotifierRecord n;
        n.name = q.value(0).toString();
        n.kind = q.value(1).toString();
        n.url = q.value(2).toString();
        n.tls = q.value(3).toString();
        n.mailFrom = q.value(4).toString();
        n.mailTo = textList(q.value(5));
        n.user = q.value(6).toString();
        n.on = q.value(7).toString();
        n.profiles = textList(q.value(8));
        n.caFile = q.value(9).toString();
        out << n;
    }
    return out;
}

bool SqlCatalog::removeNotifier(const QString &name, QString *error) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.prepare(QStringLiteral("DELETE FROM notifiers WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec())
        return failed(error, QStringLiteral("removing notifier \"%1\"").arg(name), q);
    if (q.numRowsAffected() < 1) {
        if (error)
            *error = QStringLiteral("no notifier named \"%1\" (see `lifeboatctl notify list`)").arg(name);
        return false;
    }
    AuditTrail::record(QStringLiteral("notifier.remove"), name, QStringLiteral("ok"));
    return true;
}

} // namespace lifeboat
