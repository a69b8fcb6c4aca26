#include "schedule/ScheduleDue.h"

namespace lifeboat {

namespace {
QString when(const QDateTime &t) {
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm t"));
}
} // namespace

DueResult ScheduleDue::check(const CronExpression &expr, const QDateTime &since, const QDateTime &now,
                             const QTimeZone &tz, MissedRunPolicy policy, int graceSeconds) {
    DueResult r;
    if (!expr.isValid()) {
        r.reason = QStringLiteral("not due: invalid schedule: %1").arg(expr.error());
        return r;
    }
    r.nextFire = expr.nextFire(now, tz);
    const QString next =
        r.nextFire.isValid() ? QStringLiteral("next run %1").arg(when(r.nextFire)) : QStringLiteral("no future run");
    if (!since.isValid() || since >= now) {
        r.reason = QStringLiteral("not due: %1").arg(next);
        return r;
    }
    r.firstMissed = expr.nextFire(since, tz);
    if (!r.firstMissed.isValid() || r.firstMissed > now) {
        r.firstMissed = {};
        r.reason = QStringLiteral("not due: %1").arg(next);
        return r;
    }
    // The latest fire time at or before now is the one the run stands for; count the others for the report.
    r.fireTime = expr.previousFire(now, tz);
    QDateTime cursor = r.firstMissed;
    r.missed = 1;
    while (cursor < r.fireTime) {
        if (r.missed >= kMaxCounted) {
            r.missedCapped = true;
            break;
        }
        cursor = expr.nextFire(cursor, tz);
        if (!cursor.isValid() || cursor > now)
            break;
        ++r.missed;
    }
    const QString count = r.missedCapped ? QStringLiteral("more than %1").arg(kMaxCounted) : QString::number(r.missed);

    if (policy == MissedRunPolicy::Skip && r.fireTime.secsTo(now) > graceSeconds) {
        r.reason = QStringLiteral("not due: %1 missed run(s) since %2 skipped (missed-run policy: skip, grace %3 s); "
                                  "%4")
                       .arg(count, when(r.firstMissed))
                       .arg(graceSeconds)
                       .arg(next);
        return r;
    }
    r.due = true;
    if (r.missed == 1)
        r.reason = QStringLiteral("due: scheduled for %1").arg(when(r.fireTime));
    else
        r.reason = QStringLiteral("due: %1 runs missed between %2 and %3; catching up with one run")
                       .arg(count, when(r.firstMissed), when(r.fireTime));
    return r;
}

} // namespace lifeboat
