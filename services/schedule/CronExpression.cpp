#include "schedule/CronExpression.h"

#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <functional>

namespace lifeboat {

namespace {

// Long enough for any satisfiable expression: Feb 29 on a given weekday recurs within 28 years.
constexpr int kSearchDays = 29 * 366;
// More than any real DST shift (the largest is 2 h): wall times further than this before `after` cannot fire
// after it, so the scan skips them without a time-zone lookup.
constexpr qint64 kMaxShift = 3 * 3600;

struct FieldSpec {
    const char *name;
    int min;
    int max;
    const char *const *names; // names[i] is value i (+ nameBase); nullptr when the field has none
    int nameBase;
    int nameCount;
};

const char *const kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const char *const kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
const char *const kLongMonth[] = {"January", "February", "March",     "April",   "May",      "June",
                                  "July",    "August",   "September", "October", "November", "December"};
const char *const kLongDay[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

const FieldSpec kSpecs[5] = {
    {"minute", 0, 59, nullptr, 0, 0},       {"hour", 0, 23, nullptr, 0, 0},
    {"day-of-month", 1, 31, nullptr, 0, 0}, {"month", 1, 12, kMonthNames, 1, 12},
    {"day-of-week", 0, 7, kDayNames, 0, 7},
};

QString hint(const FieldSpec &spec) {
    if (spec.names == kMonthNames)
        return QStringLiteral("use 1-12 or JAN..DEC");
    if (spec.names == kDayNames)
        return QStringLiteral("use 0-7 (0 and 7 are Sunday) or SUN..SAT");
    return QStringLiteral("use %1-%2").arg(spec.min).arg(spec.max);
}

// Parses one value (number or name); returns -1 and sets why on failure.
int parseValue(const QString &s, const FieldSpec &spec, QString &why) {
    if (s.isEmpty()) {
        why = QStringLiteral("missing value");
        return -1;
    }
    bool ok = false;
    const bool digits = std::all_of(s.begin(), s.end(), [](QChar c) { return c.isDigit(); });
    const int n = digits ? s.toInt(&ok) : 0;
    if (digits && ok) {
        if (n < spec.min || n > spec.max) {
            why = QStringLiteral("value %1 is out of range (%2)").arg(s, hint(spec));
            return -1;
        }
        return n;
    }
    if (spec.names) {
        for (int i = 0; i < spec.nameCount; ++i) {
            if (s.compare(QLatin1String(spec.names[i]), Qt::CaseInsensitive) == 0)
                return i + spec.nameBase;
        }
        why = QStringLiteral("unknown name '%1' (%2)").arg(s, hint(spec));
        return -1;
    }
    why = QStringLiteral("'%1' is not a number (%2)").arg(s, hint(spec));
    return -1;
}

} // namespace

CronExpression CronExpression::parse(const QString &input) {
    CronExpression expr;
    expr.m_text = input.trimmed();
    QString text = expr.m_text;

    static const struct {
        const char *macro;
        const char *expansion;
    } kMacros[] = {{"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
                   {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
                   {"@hourly", "0 * * * *"}};
    if (text.startsWith(QLatin1Char('@'))) {
        bool found = false;
        for (const auto &m : kMacros) {
            if (text.compare(QLatin1String(m.macro), Qt::CaseInsensitive) == 0) {
                text = QLatin1String(m.expansion);
                found = true;
            }
        }
        if (!found) {
            expr.m_error = QStringLiteral("unknown shortcut '%1' (use @yearly, @annually, @monthly, @weekly, @daily, "
                                          "@midnight or @hourly)")
                               .arg(text);
            return expr;
        }
    }

    static const QRegularExpression ws(QStringLiteral("\\s+"));
    const QStringList parts = text.split(ws, Qt::SkipEmptyParts);
    if (parts.size() != 5) {
        expr.m_error = QStringLiteral("expected 5 fields (minute hour day-of-month month day-of-week), got %1 in '%2'")
                           .arg(parts.size())
                           .arg(expr.m_text);
        return expr;
    }

    Field *fields[5] = {&expr.m_minute, &expr.m_hour, &expr.m_dom, &expr.m_month, &expr.m_dow};
    for (int f = 0; f < 5; ++f) {
        const FieldSpec &spec = kSpecs[f];
        const QString &ftext = parts[f];
        Field &field = *fields[f];
        field.star = ftext.startsWith(QLatin1Char('*'));
        auto fail = [&](const QString &why) {
            expr.m_error = QStringLiteral("%1 field '%2': %3").arg(QLatin1String(spec.name), ftext, why);
        };
        for (const QString &item : ftext.split(QLatin1Char(','))) {
            if (item.isEmpty()) {
                fail(QStringLiteral("empty element in list"));
                return expr;
            }
            const QStringList stepParts = item.split(QLatin1Char('/'));
            if (stepParts.size() > 2) {
                fail(QStringLiteral("more than one '/' in '%1'").arg(item));
                return expr;
            }
            int step = 1;
            if (stepParts.size() == 2) {
                bool ok = false;
                step = stepParts[1].toInt(&ok);
                const bool digits = !stepParts[1].isEmpty() && std::all_of(stepParts[1].begin(), stepParts[1].end(),
                                                                           [](QChar c) { return c.isDigit(); });
                if (!digits || !ok || step < 1 || step > spec.max) {
                    fail(QStringLiteral("step '%1' must be a number from 1 to %2").arg(stepParts[1]).arg(spec.max));
                    return expr;
                }
            }
            const QString &base = stepParts[0];
            int lo = spec.min;
            int hi = spec.max;
            QString why;
            if (base == QLatin1String("*")) {
                // whole range
            } else if (const qsizetype dash = base.indexOf(QLatin1Char('-')); dash >= 0) {
                lo = parseValue(base.left(dash), spec, why);
                if (lo >= 0)
                    hi = parseValue(base.mid(dash + 1), spec, why);
                if (lo < 0 || hi < 0) {
                    fail(why);
                    return expr;
                }
                if (lo > hi) {
                    fail(QStringLiteral("range %1 is descending (write it as a list, e.g. '%2,%3')")
                             .arg(base, base.mid(dash + 1), base.left(dash)));
                    return expr;
                }
            } else {
                lo = parseValue(base, spec, why);
                if (lo < 0) {
                    fail(why);
                    return expr;
                }
                // "5/15" means from 5 to the maximum, every 15th (Vixie cron); a bare "5" is just 5.
                hi = stepParts.size() == 2 ? spec.max : lo;
            }
            for (int v = lo; v <= hi; v += step)
                field.bits.set(size_t(v));
        }
    }
    // Day of week 7 is Sunday.
    if (expr.m_dow.bits.test(7)) {
        expr.m_dow.bits.reset(7);
        expr.m_dow.bits.set(0);
    }

    // With AND semantics (one day field starts with '*') a day-of-month that no selected month has never fires.
    // Feb 29 counts as possible: it fires in leap years.
    if (expr.m_dom.star || expr.m_dow.star) {
        static const int maxDays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool possible = false;
        for (int m = 1; m <= 12 && !possible; ++m) {
            for (int d = 1; d <= maxDays[m] && expr.m_month.bits.test(size_t(m)); ++d) {
                if (expr.m_dom.bits.test(size_t(d))) {
                    possible = true;
                    break;
                }
            }
        }
        if (!possible) {
            expr.m_error = QStringLiteral("day-of-month field '%1': never fires in the selected month(s) '%2' "
                                          "(no such day)")
                               .arg(parts[2], parts[3]);
            return expr;
        }
    }
    expr.m_valid = true;
    return expr;
}

bool CronExpression::matchesDate(const QDate &date) const {
    if (!m_valid || !m_month.bits.test(size_t(date.month())))
        return false;
    const bool dom = m_dom.bits.test(size_t(date.day()));
    const bool dow = m_dow.bits.test(size_t(date.dayOfWeek() % 7)); // Qt: Monday=1..Sunday=7
    return (m_dom.star || m_dow.star) ? (dom && dow) : (dom || dow);
}

qint64 CronExpression::localSeconds(const QDate &date, int hour, int minute) {
    static const QDate epoch(1970, 1, 1);
    return epoch.daysTo(date) * 86400 + hour * 3600 + minute * 60;
}

qint64 CronExpression::fireInstant(qint64 local, const QTimeZone &tz) {
    auto offsetAt = [&tz](qint64 utc) { return tz.offsetFromUtc(QDateTime::fromSecsSinceEpoch(utc, Qt::UTC)); };
    // The offsets in force around this wall time; a real zone changes offset at most once within a day.
    QList<int> offsets{offsetAt(local - 86400), offsetAt(local + 86400), offsetAt(local)};
    for (int i = 0, n = int(offsets.size()); i < n; ++i)
        offsets.append(offsetAt(local - offsets[i]));
    std::sort(offsets.begin(), offsets.end());
    offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());

    qint64 best = 0;
    bool found = false;
    for (int o : offsets) {
        const qint64 utc = local - o;
        if (offsetAt(utc) == o && (!found || utc < best)) { // overlap: the earlier occurrence wins
            best = utc;
            found = true;
        }
    }
    if (found)
        return best;

    // A gap: the wall time does not exist. Fire at the first instant after the gap, i.e. the transition itself,
    // found by bisection between the instant read with the later (larger) and the earlier (smaller) offset.
    qint64 lo = local - offsets.last();  // still before the transition
    qint64 hi = local - offsets.first(); // already after it
    const int before = offsetAt(lo);
    while (hi - lo > 1) {
        const qint64 mid = lo + (hi - lo) / 2;
        if (offsetAt(mid) == before)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

QDateTime CronExpression::nextFire(const QDateTime &after, const QTimeZone &zone) const {
    if (!m_valid || !after.isValid())
        return {};
    const QTimeZone tz = zone.isValid() ? zone : QTimeZone::systemTimeZone();
    const qint64 afterUtc = after.toSecsSinceEpoch();
    const qint64 afterLocal = afterUtc + tz.offsetFromUtc(after);
    static const QDate epoch(1970, 1, 1);
    const QDate start =
        epoch.addDays(afterLocal >= 0 ? afterLocal / 86400 : -((-afterLocal + 86399) / 86400)).addDays(-1);

    for (int i = 0; i < kSearchDays; ++i) {
        const QDate day = start.addDays(i);
        if (!matchesDate(day))
            continue;
        for (int h = 0; h < 24; ++h) {
            if (!m_hour.bits.test(size_t(h)) || localSeconds(day, h, 59) < afterLocal - kMaxShift)
                continue;
            for (int m = 0; m < 60; ++m) {
                if (!m_minute.bits.test(size_t(m)))
                    continue;
                const qint64 local = localSeconds(day, h, m);
                if (local < afterLocal - kMaxShift)
                    continue;
                // Wall-clock order gives non-decreasing instants under the DST rule, so the first one after
                // `after` is the answer.
                const qint64 utc = fireInstant(local, tz);
                if (utc > afterUtc)
                    return QDateTime::fromSecsSinceEpoch(utc, tz);
            }
        }
    }
    return {};
}

QList<QDateTime> CronExpression::nextFires(const QDateTime &after, const QTimeZone &tz, int count) const {
    QList<QDateTime> out;
    QDateTime cursor = after;
    for (int i = 0; i < count; ++i) {
        cursor = nextFire(cursor, tz);
        if (!cursor.isValid())
            break;
        out.append(cursor);
    }
    return out;
}

QDateTime CronExpression::previousFire(const QDateTime &at, const QTimeZone &zone) const {
    if (!m_valid || !at.isValid())
        return {};
    const QTimeZone tz = zone.isValid() ? zone : QTimeZone::systemTimeZone();
    const qint64 atUtc = at.toSecsSinceEpoch();
    const qint64 atLocal = atUtc + tz.offsetFromUtc(at);
    static const QDate epoch(1970, 1, 1);
    const QDate start = epoch.addDays(atLocal >= 0 ? atLocal / 86400 : -((-atLocal + 86399) / 86400)).addDays(1);

    for (int i = 0; i < kSearchDays; ++i) {
        const QDate day = start.addDays(-i);
        if (!matchesDate(day))
            continue;
        for (int h = 23; h >= 0; --h) {
            if (!m_hour.bits.test(size_t(h)) || localSeconds(day, h, 0) > atLocal + kMaxShift)
                continue;
            for (int m = 59; m >= 0; --m) {
                if (!m_minute.bits.test(size_t(m)))
                    continue;
                const qint64 local = localSeconds(day, h, m);
                if (local > atLocal + kMaxShift)
                    continue;
                const qint64 utc = fireInstant(local, tz);
                if (utc <= atUtc)
                    return QDateTime::fromSecsSinceEpoch(utc, tz);
            }
        }
    }
    return {};
}

namespace {

QList<int> values(const std::bitset<64> &bits, int min, int max) {
    QList<int> out;
    for (int v = min; v <= max; ++v) {
        if (bits.test(size_t(v)))
            out.append(v);
    }
    return out;
}

// "a, b and c"
QString joinEnglish(const QStringList &items, const QString &conj = QStringLiteral("and")) {
    if (items.size() <= 1)
        return items.value(0);
    return QStringList(items.mid(0, items.size() - 1)).join(QStringLiteral(", ")) + QLatin1Char(' ') + conj +
           QLatin1Char(' ') + items.last();
}

// Compact list with ranges: 1-5, 10 and 15; names through `name`.
QString compact(const QList<int> &vals, const std::function<QString(int)> &name) {
    QStringList items;
    for (qsizetype i = 0; i < vals.size();) {
        qsizetype j = i;
        while (j + 1 < vals.size() && vals[j + 1] == vals[j] + 1)
            ++j;
        if (j - i >= 2)
            items.append(QStringLiteral("%1 through %2").arg(name(vals[i]), name(vals[j])));
        else
            for (qsizetype k = i; k <= j; ++k)
                items.append(name(vals[k]));
        i = j + 1;
    }
    return joinEnglish(items);
}

// The step when vals is 0, s, 2s, ... covering the whole range evenly; 0 otherwise.
int evenStep(const QList<int> &vals, int range) {
    if (vals.size() < 2 || vals.first() != 0)
        return 0;
    const int s = vals[1];
    if (range % s != 0 || vals.size() != range / s)
        return 0;
    for (qsizetype i = 0; i < vals.size(); ++i) {
        if (vals[i] != int(i) * s)
            return 0;
    }
    return s;
}

} // namespace

QString CronExpression::describe() const {
    if (!m_valid)
        return QStringLiteral("invalid: %1").arg(m_error);
    const QList<int> mins = values(m_minute.bits, 0, 59);
    const QList<int> hours = values(m_hour.bits, 0, 23);
    const QList<int> doms = values(m_dom.bits, 1, 31);
    const QList<int> months = values(m_month.bits, 1, 12);
    const QList<int> dows = values(m_dow.bits, 0, 6);
    const auto num = [](int v) { return QString::number(v); };
    const bool allHours = hours.size() == 24;

    QString time;
    const QString duringHours = allHours ? QString() : QStringLiteral(" during hour %1").arg(compact(hours, num));
    if (mins.size() == 60) {
        time = QStringLiteral("every minute") + duringHours;
    } else if (const int step = evenStep(mins, 60); step > 0) {
        time = QStringLiteral("every %1 minutes").arg(step) + duringHours;
    } else if (allHours) {
        time = QStringLiteral("every hour at minute %1").arg(compact(mins, num));
    } else if (mins.size() * hours.size() <= 6) {
        QStringList times;
        for (int h : hours)
            for (int m : mins)
                times.append(QStringLiteral("%1:%2").arg(h, 2, 10, QLatin1Char('0')).arg(m, 2, 10, QLatin1Char('0')));
        time = QStringLiteral("at ") + joinEnglish(times);
    } else {
        time = QStringLiteral("at minute %1 past hour %2").arg(compact(mins, num), compact(hours, num));
    }

    const bool domAll = doms.size() == 31;
    const bool dowAll = dows.size() == 7;
    const QString domText = QStringLiteral("on day %1 of the month").arg(compact(doms, num));
    const QString dowText =
        QStringLiteral("on %1").arg(compact(dows, [](int v) { return QString::fromLatin1(kLongDay[v]); }));
    QString days;
    if (m_dom.star || m_dow.star) {
        if (domAll && dowAll)
            days = QStringLiteral("every day");
        else if (domAll)
            days = dowText;
        else if (dowAll)
            days = domText;
        else
            days = domText + QStringLiteral(" if it is a ") +
                   compact(dows, [](int v) { return QString::fromLatin1(kLongDay[v]); });
    } else {
        days = domText + QStringLiteral(" or ") + dowText;
    }
    if (months.size() != 12)
        days += QStringLiteral(" in ") + compact(months, [](int v) { return QString::fromLatin1(kLongMonth[v - 1]); });
    return time + QLatin1Char(' ') + days;
}

} // namespace lifeboat
