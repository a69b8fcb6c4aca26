#pragma once

#include "catalog/ScheduleRecord.h"

#include <QList>
#include <QString>

#include <optional>

namespace lifeboat {

// The weekly recovery drill offered when a profile gets its first backup schedule (issue 18): a backup nobody
// restored is a hope. Both front ends ask the same question — `schedule add` prints the command as a hint, the
// schedule editor offers to create it — so the answer is computed once, here.
struct DrillSuggestion {
    QString name; // "<profile>-drill", or with a number when that name is taken
    QString profile;
    QString cron;     // an hour after a daily backup's time on Sunday (its own day for a weekly one), else Sunday 04:00
    QString timeZone; // the backup schedule's

    // For `saved`, a database backup schedule about to be or just saved: a suggestion when no other database
    // schedule and no drill of its profile is in `existing` (the schedules as they were before the save; `saved`
    // itself, if listed, is ignored). Nothing for a drill, files, Redis or base schedule.
    static std::optional<DrillSuggestion> forFirstBackupSchedule(const ScheduleRecord &saved,
                                                                 const QList<ScheduleRecord> &existing);
    // The drill's time from its backup schedule's cron expression.
    static QString cronAfter(const QString &backupCron);

    // The exact command that creates it.
    QString command() const;
    ScheduleRecord schedule() const;
};

} // namespace lifeboat
