#pragma once

#include <QDateTime>
#include <QString>
#include <QTimeZone>

namespace lifeboat {

// Human text for sizes, durations, ages and dates in the user's locale, shared by models and pages so every
// screen says "1.2 GB" and "3 h ago" the same way.
class Format {
public:
    static QString size(qint64 bytes);
    static QString duration(qint64 ms);
    static QString seconds(qint64 secs);
    static QString age(const QDateTime &when, const QDateTime &now = QDateTime::currentDateTimeUtc());
    static QString dateTime(const QDateTime &when);
    // The time as a clock in `zone` reads it, labelled with the zone ("… 02:30 Europe/Berlin"): schedule times are
    // shown in the schedule's own zone, never as an unlabelled local or UTC time.
    static QString dateTimeIn(const QDateTime &when, const QTimeZone &zone);
    static QString rate(double bytesPerSecond);
};

} // namespace lifeboat
