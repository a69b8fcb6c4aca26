#pragma once

#include "schedule/CronExpression.h"

#include <QDateTime>
#include <QString>
#include <QTimeZone>

namespace lifeboat {

// What to do with fire times that passed while nothing was running (machine asleep or off, runner not called).
enum class MissedRunPolicy {
    CatchUpOnce, // default: any number of missed fire times collapse into ONE run at the next check
    Skip,        // run only if the latest fire time is within the grace period; older misses are dropped
};

// The answer of ScheduleDue::check().
struct DueResult {
    bool due = false;
    QDateTime fireTime;        // the fire time this run stands for: the latest one at or before `now`
    int missed = 0;            // fire times in (since, now]; a due run covers all of them
    bool missedCapped = false; // counting stopped at ScheduleDue::kMaxCounted; `missed` is a lower bound
    QDateTime firstMissed;     // the earliest fire time in (since, now]
    QDateTime nextFire;        // the first fire time after `now`
    QString reason;            // one line for logs and `run-due` output
};

// Decides whether a schedule is due. Pure: the caller supplies the times, so `lifeboatctl run-due --as-of TIME`
// and tests behave exactly like the live runner.
class ScheduleDue {
public:
    static constexpr int kMaxCounted = 1000;

    // `since`: when this schedule was last checked by a runner (or its creation time if it never ran); fire times
    // in (since, now] are owed. After acting on a result, record `now` as the new `since` — the run covers every
    // fire time up to it, so calling this every minute never double-runs. An invalid `since` means "never
    // checked": nothing is owed yet and the result only reports the next fire time.
    static DueResult check(const CronExpression &expr, const QDateTime &since, const QDateTime &now,
                           const QTimeZone &tz = QTimeZone::systemTimeZone(),
                           MissedRunPolicy policy = MissedRunPolicy::CatchUpOnce, int graceSeconds = 300);
};

} // namespace lifeboat
