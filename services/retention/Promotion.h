#pragma once

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QTimeZone>

namespace lifeboat {

// Which retention levels a scheduled backup is promoted to.
struct PromotionFlags {
    bool daily = true;
    bool weekly = false;
    bool monthly = false;

    bool operator==(const PromotionFlags &) const = default;
};

// Where weekly and monthly backups fall. monthDay beyond the month's length means its last day (31 -> Feb 28/29,
// Apr 30), so "last day of the month" is monthDay = 31.
struct PromotionRule {
    Qt::DayOfWeek weekDay = Qt::Sunday;
    int monthDay = 1; // 1..31
};

// Promotion of scheduled backups: every scheduled backup is DAILY; the one on the rule's week day is also WEEKLY;
// the one on the rule's day of the month is also MONTHLY. Decided by the LOCAL date the backup was scheduled for,
// so a Sunday 00:30 run in Berlin is weekly even though it is still Saturday in UTC. If that day's backup fails,
// that week or month has no weekly/monthly backup (nothing else is promoted in its place).
class Promotion {
public:
    static PromotionFlags forDate(const QDate &localDate, const PromotionRule &rule = {});
    static PromotionFlags forTime(const QDateTime &scheduled, const QTimeZone &tz, const PromotionRule &rule = {});

    // The catalog's single type column and the S3 key folder: MONTHLY over WEEKLY over DAILY.
    static QString typeName(const PromotionFlags &flags);
};

} // namespace lifeboat
