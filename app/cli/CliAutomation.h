#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/ScheduleRecord.h"
#include "core/ExitCode.h"
#include "notify/Notification.h"
#include "retention/Promotion.h"
#include "retention/Retention.h"
#include "retention/RetentionPolicy.h"

#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include <memory>
#include <optional>

namespace lifeboat {
class Job;
class StallWatch;
} // namespace lifeboat

class CliContext;

// What schedules, run-due and prune share: time arguments, the retention policy of a profile, the mapping of
// catalog records to retention items, promotion settings and notification delivery.
class CliAutomation {
public:
    // ISO 8601 date-time; with an offset or Z it is that instant, without one it is local time.
    static QDateTime parseTime(const QString &text);
    static QTimeZone timeZone(const QString &name); // empty: the system zone; invalid when unknown

    // Defaults (7/4/12) ← settings retentionDaily/Weekly/Monthly ← BACKUP_RETENTION_* ← the profile's schedule
    // overrides. Usage error when a setting or variable is not a count.
    static lifeboat::Error policyFor(CliContext &ctx, const QString &profile, lifeboat::RetentionPolicy *policy);
    static lifeboat::RetentionItem itemFor(const lifeboat::BackupRecord &r);

    // Settings promotionWeekDay (monday..sunday, default sunday) and promotionMonthDay (1..31, default 1).
    static lifeboat::Error promotionRule(CliContext &ctx, lifeboat::PromotionRule *rule);
    // "DAILY", "DAILY,WEEKLY", "DAILY,MONTHLY", "DAILY,WEEKLY,MONTHLY"
    static QString typeList(const lifeboat::PromotionFlags &flags);

    // Sends to every notifier that wants it; delivery problems are warnings on stderr, never a failed command.
    static void notify(CliContext &ctx, const lifeboat::Notification &n);
    // Watches a job for stalls (settings stallMinutes, default 10, and stallCancel): a stall is printed and sent to
    // the notifiers. Create it before handing the job to CliJobRunner; keep it alive until the job is done.
    static std::unique_ptr<lifeboat::StallWatch> watchStalls(CliContext &ctx, lifeboat::Job *job,
                                                             const QString &profile, const QString &what);
    static lifeboat::Notification backupNotification(const QString &profile, const QString &schedule, qint64 recordId,
                                                     const lifeboat::Error &error, const QJsonObject &details);
};
