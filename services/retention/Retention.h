#pragma once

#include "retention/RetentionPolicy.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace lifeboat {

// The catalog statuses retention cares about (ARCHITECTURE.md: IN_PROGRESS/COMPLETED/FAILED/CANCELLED/EXPIRED/
// DELETED).
enum class BackupStatus { InProgress, Completed, Failed, Cancelled, Expired, Deleted };

// One backup as retention sees it; the caller fills it from a catalog record.
struct RetentionItem {
    QString id;
    QString source;    // profile (or file/Redis source) name; retention runs per source
    QDateTime started; // any time spec; compared as instants
    // The time whose periods the backup fills: a scheduled run's fire time (a catch-up run can start days after
    // it), else invalid, meaning `started`. Only period keys use it; the 24 h rule, within, keepDays and the
    // newest-first order go by `started`, when the backup really ran.
    QDateTime periodTime;
    BackupStatus status = BackupStatus::Completed;
    // Promotion recorded when the backup ran (see Promotion), for display only: retention does not depend on it.
    bool isDaily = false;
    bool isWeekly = false;
    bool isMonthly = false;
    bool manual = false;
    QString label;           // manual backups: e.g. "pre-migration"
    int keepDays = 0;        // manual backups: 0 = kept until deleted by hand, N = expires N days after it started
    bool hasLocation = true; // an artifact (local file and/or object) is recorded for it
    bool verificationFailed = false; // its last verification failed
};

struct RetentionDecision {
    enum class Action { Keep, Expire };

    QString id;
    QString source;
    Action action = Action::Keep;
    QStringList reasons; // every reason that applies, most specific first
    // Kept, and only by monthly/yearly period rules: a copy that may move to archive storage (--archive-to).
    bool archivalOnly = false;

    bool keep() const { return action == Action::Keep; }
    QString reason() const { return reasons.join(QStringLiteral("; ")); }
};

// Retention as a pure function of (items, policy, now), with restic `forget` semantics. Rules, per source:
//   * A successful backup is COMPLETED with a recorded artifact and not failed at its last verification. Only
//     successful backups (manual ones included) fill the rules' slots: `last` keeps the N newest; each period rule
//     (hourly/daily/weekly/monthly/yearly) keeps the newest backup of each of the N most recent periods that hold
//     one, periods counted in policy.zone (UTC for manual backups) and ISO weeks; `within` keeps every one younger
//     than the duration. Each kept backup lists every rule that keeps it ("daily 2026-11-20 (3 of 7)").
//   * Never expired, whatever the policy: the newest successful backup of the source, and anything that started
//     less than 24 h before `now` (also failed ones, so a fresh failure can be inspected).
//   * Manual backups are kept until deleted, or at least for their keepDays.
//   * A COMPLETED backup whose verification failed is kept for inspection ("verification failed") unless
//     policy.pruneFailedVerification; it never fills a slot nor counts as the newest successful one.
//   * FAILED and CANCELLED records are expired once older than 24 h: they hold no usable backup (deletion removes
//     whatever partial artifact or manifest they recorded). A COMPLETED record whose artifact is missing is
//     expired the same way. IN_PROGRESS is always kept. EXPIRED stays expired (its deletion is still pending, so
//     it is returned again for a retry). DELETED records are finished and are not returned at all.
// Decisions come back in the order of `items`.
class Retention {
public:
    static QList<RetentionDecision> decide(const QList<RetentionItem> &items, const RetentionPolicy &policy,
                                           const QDateTime &now);

    static QString statusName(BackupStatus status); // "COMPLETED", ...
};

} // namespace lifeboat
