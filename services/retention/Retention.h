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
    BackupStatus status = BackupStatus::Completed;
    // Promotion recorded when the backup ran (see Promotion). A catalog type maps as DAILY -> daily,
    // WEEKLY -> daily+weekly, MONTHLY -> daily+monthly (+weekly if also that). A scheduled item with no flag at all
    // is treated as daily: every scheduled backup is a daily one.
    bool isDaily = false;
    bool isWeekly = false;
    bool isMonthly = false;
    bool manual = false;
    QString label;           // manual backups: e.g. "pre-migration"
    int keepDays = 0;        // manual backups: 0 = kept until deleted by hand, N = expires N days after it started
    bool hasLocation = true; // an artifact (local file and/or object) is recorded for it
};

struct RetentionDecision {
    enum class Action { Keep, Expire };

    QString id;
    QString source;
    Action action = Action::Keep;
    QStringList reasons; // every reason that applies, most specific first

    bool keep() const { return action == Action::Keep; }
    QString reason() const { return reasons.join(QStringLiteral("; ")); }
};

// Grandfather-father-son retention as a pure function of (items, policy, now). Rules, per source:
//   * A successful backup is COMPLETED with a recorded artifact. Of the successful, non-manual backups the newest
//     `daily` flagged daily are kept ("daily #3 of 7"), likewise weekly and monthly; one kept for several
//     reasons lists them all.
//   * Never expired, whatever the policy: the newest successful backup of the source (manual ones included), and
//     anything that started less than 24 h before `now` (also failed ones, so a fresh failure can be inspected).
//   * Manual backups never count against the windows: kept until deleted, or for their keepDays.
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
