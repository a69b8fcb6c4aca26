#include "models/Format.h"

#include <QCoreApplication>
#include <QLocale>

namespace lifeboat {

namespace {
QString tr(const char *text, const char *disambiguation = nullptr, int n = -1) {
    return QCoreApplication::translate("lifeboat::Format", text, disambiguation, n);
}
} // namespace

QString Format::size(qint64 bytes) {
    if (bytes < 0)
        return QString();
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString Format::duration(qint64 ms) {
    if (ms <= 0)
        return QString();
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    if (ms < 60000)
        return tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
    return seconds(ms / 1000);
}

QString Format::seconds(qint64 secs) {
    if (secs < 0)
        return QString();
    if (secs < 60)
        return tr("%1 s").arg(secs);
    if (secs < 3600)
        return tr("%1 min %2 s").arg(secs / 60).arg(secs % 60);
    return tr("%1 h %2 min").arg(secs / 3600).arg((secs % 3600) / 60);
}

QString Format::age(const QDateTime &when, const QDateTime &now) {
    if (!when.isValid())
        return tr("never");
    const qint64 s = when.secsTo(now);
    if (s < 60)
        return tr("just now");
    if (s < 3600)
        return tr("%n min ago", nullptr, int(s / 60));
    if (s < 48 * 3600)
        return tr("%n h ago", nullptr, int(s / 3600));
    return tr("%n days ago", nullptr, int(s / 86400));
}

QString Format::dateTime(const QDateTime &when) {
    if (!when.isValid())
        return QString();
    return QLocale().toString(when.toLocalTime(), QLocale::ShortFormat);
}

QString Format::dateTimeIn(const QDateTime &when, const QTimeZone &zone) {
    if (!when.isValid())
        return QString();
    if (!zone.isValid())
        return dateTime(when);
    return tr("%1 %2").arg(QLocale().toString(when.toTimeZone(zone), QLocale::ShortFormat),
                           QString::fromUtf8(zone.id()));
}

QString Format::rate(double bytesPerSecond) {
    if (bytesPerSecond <= 0)
        return QString();
    return tr("%1/s").arg(size(qint64(bytesPerSecond)));
}

} // namespace lifeboat
