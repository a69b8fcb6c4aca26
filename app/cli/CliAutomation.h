#pragma once

#include "core/ExitCode.h"
#include "notify/Notification.h"

#include <QDateTime>
#include <QString>

#include <memory>

namespace lifeboat {
class Job;
class StallWatch;
} // namespace lifeboat

class CliContext;

// What the CLI's backup, schedule, run-due and prune commands share: time arguments, notification delivery and stall
// watching. Retention policies and promotion live in services/jobs/RetentionPruner, the notification texts and stall
// settings in services/schedule/DueRunner, so the desktop app uses the same rules.
class CliAutomation {
public:
    // ISO 8601 date-time; with an offset or Z it is that instant, without one it is local time.
    static QDateTime parseTime(const QString &text);

    // Sends to every notifier that wants it; delivery problems are warnings on stderr, never a failed command.
    static void notify(CliContext &ctx, const lifeboat::Notification &n);
    // Watches a job for stalls (settings stallMinutes, default 10, and stallCancel): a stall is printed and sent to
    // the notifiers. Create it before handing the job to CliJobRunner; keep it alive until the job is done.
    static std::unique_ptr<lifeboat::StallWatch> watchStalls(CliContext &ctx, lifeboat::Job *job,
                                                             const QString &profile, const QString &what);
};
