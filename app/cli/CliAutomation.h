#pragma once

#include <QDateTime>
#include <QString>

// What the CLI's schedule, run-due, audit and prune commands share: time arguments. Notification delivery and stall
// watching are the use cases' (services/ops: Notify, BackupSteps), retention policies and promotion
// services/jobs/RetentionPruner's, so the desktop app uses the same rules.
class CliAutomation {
public:
    // ISO 8601 date-time; with an offset or Z it is that instant, without one it is local time.
    static QDateTime parseTime(const QString &text);
};
