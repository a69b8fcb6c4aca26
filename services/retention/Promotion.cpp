#include "retention/Promotion.h"

#include <algorithm>

namespace lifeboat {

PromotionFlags Promotion::forDate(const QDate &date, const PromotionRule &rule) {
    PromotionFlags f;
    if (!date.isValid())
        return f;
    f.weekly = date.dayOfWeek() == int(rule.weekDay);
    const int monthDay = std::clamp(rule.monthDay, 1, 31);
    f.monthly = date.day() == std::min(monthDay, date.daysInMonth());
    return f;
}

PromotionFlags Promotion::forTime(const QDateTime &scheduled, const QTimeZone &tz, const PromotionRule &rule) {
    return forDate(scheduled.toTimeZone(tz).date(), rule);
}

QString Promotion::typeName(const PromotionFlags &flags) {
    if (flags.monthly)
        return QStringLiteral("MONTHLY");
    if (flags.weekly)
        return QStringLiteral("WEEKLY");
    return QStringLiteral("DAILY");
}

} // namespace lifeboat
