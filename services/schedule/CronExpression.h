#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QTimeZone>

#include <bitset>

namespace lifeboat {

// A classic 5-field cron expression: "minute hour day-of-month month day-of-week".
//
// Syntax (as in Vixie cron / cronie):
//   *            every value            5        one value
//   1-5          a range                1-30/5   a range with a step
//   */15         every 15th value       3/10     from 3 to the field's maximum, every 10th
//   1,15,30-40   a list of any of the above
// Months accept JAN..DEC and days of week SUN..SAT (case-insensitive, also as range ends: MON-FRI). Day of week
// 0 and 7 are both Sunday. Ranges must be ascending (no wrap-around "FRI-MON").
// Shortcuts: @yearly/@annually, @monthly, @weekly, @daily/@midnight, @hourly.
//
// Day matching follows standard cron: when both day-of-month and day-of-week are restricted (neither field starts
// with '*'), a day matches if EITHER matches ("0 0 13 * FRI" = every 13th and every Friday). When one of them
// starts with '*' (including "*/2"), both must match, i.e. only the other one restricts.
//
// Times are wall-clock times in a time zone. Daylight-saving rule (the same as cronie's and systemd's):
//   * Spring forward (a gap, e.g. Europe/Berlin 02:00-02:59 does not exist on the last Sunday of March): a fire
//     time inside the gap runs ONCE, at the first valid instant after the gap (03:00 CEST in Berlin). Several fire
//     times inside the same gap (e.g. every 15 minutes) collapse into that one run, and a fire time at the gap's end
//     (03:00) is the same run, not a second one.
//   * Fall back (an overlap, e.g. 02:00-02:59 happens twice on the last Sunday of October): a wall time that occurs
//     twice fires only once, at its FIRST occurrence (02:30 CEST, not 02:30 CET). Consequence: an hourly or
//     every-N-minutes schedule does not fire during the repeated hour; it resumes at 03:00 CET.
// Every fire time is at second 0 of its minute.
class CronExpression {
public:
    CronExpression() = default; // invalid

    // Parses an expression. On failure the result is invalid and error() names the bad field, e.g.
    // "day-of-week field 'MON-SUNX': unknown name 'SUNX' (use SUN..SAT or 0-7)".
    static CronExpression parse(const QString &text);

    bool isValid() const { return m_valid; }
    QString error() const { return m_error; }
    QString text() const { return m_text; }

    // The first fire time strictly after `after`, as a QDateTime in `tz`. Invalid when the expression is invalid
    // or never fires (impossible combinations such as "0 0 30 2 *" are already rejected by parse()).
    QDateTime nextFire(const QDateTime &after, const QTimeZone &tz = QTimeZone::systemTimeZone()) const;
    // The next `count` fire times after `after`, ascending.
    QList<QDateTime> nextFires(const QDateTime &after, const QTimeZone &tz, int count) const;
    // The latest fire time at or before `at` (inclusive); invalid when there is none within 9 years.
    QDateTime previousFire(const QDateTime &at, const QTimeZone &tz = QTimeZone::systemTimeZone()) const;

    // English description, e.g. "at 01:00 every day", "every 15 minutes on Monday through Friday",
    // "at 00:00 on day 13 of the month or on Friday".
    QString describe() const;

    bool matchesDate(const QDate &date) const;

private:
    // One cron field after parsing: a bit per allowed value, and whether the text started with '*'.
    struct Field {
        std::bitset<64> bits;
        bool star = false;
    };

    // Seconds since the epoch of an instant, or the wall-clock "local seconds" of a date and time.
    static qint64 localSeconds(const QDate &date, int hour, int minute);
    // The instant at which wall time `local` fires in tz under the DST rule above.
    static qint64 fireInstant(qint64 local, const QTimeZone &tz);

    Field m_minute, m_hour, m_dom, m_month, m_dow;
    bool m_valid = false;
    QString m_error;
    QString m_text;
};

} // namespace lifeboat
