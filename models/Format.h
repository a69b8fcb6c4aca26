#pragma once

#include <QDateTime>
#include <QString>

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
    static QString rate(double bytesPerSecond);
};

} // namespace lifeboat
