#include "schedule/DrillSuggestion.h"

#include <QRegularExpression>

namespace lifeboat {

namespace {
constexpr const char *kFallback = "0 4 * * 0"; // Sundays 04:00

bool plainNumber(const QString &field, int max, int *value) {
    bool ok = false;
    const int v = field.toInt(&ok);
    if (!ok || v < 0 || v > max)
        return false;
    *value = v;
    return true;
}
} // namespace

QString DrillSuggestion::cronAfter(const QString &backupCron) {
    QString text = backupCron.trimmed();
    if (text == QLatin1String("@daily") || text == QLatin1String("@midnight"))
        text = QStringLiteral("0 0 * * *");
    const QStringList f = text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    int minute = 0, hour = 0, dow = 0;
    // Only a backup at one fixed time of day has an "hour after"; hourly or irregular ones get the fallback.
    if (f.size() != 5 || !plainNumber(f[0], 59, &minute) || !plainNumber(f[1], 23, &hour) ||
        f[2] != QLatin1String("*") || f[3] != QLatin1String("*"))
        return QString::fromLatin1(kFallback);
    if (f[4] == QLatin1String("*"))
        dow = 0; // a daily backup: the drill runs on Sunday
    else if (!plainNumber(f[4], 7, &dow))
        return QString::fromLatin1(kFallback);
    dow %= 7;
    if (++hour == 24) { // past midnight: the next day
        hour = 0;
        dow = (dow + 1) % 7;
    }
    return QStringLiteral("%1 %2 * * %3").arg(minute).arg(hour).arg(dow);
}

std::optional<DrillSuggestion> DrillSuggestion::forFirstBackupSchedule(const ScheduleRecord &saved,
                                                                       const QList<ScheduleRecord> &existing) {
    if (saved.sourceKind != QLatin1String("database") || saved.profile.isEmpty())
        return std::nullopt;
    QStringList names;
    for (const ScheduleRecord &s : existing) {
        names << s.name;
        if (s.name == saved.name || s.profile != saved.profile)
            continue;
        if (s.sourceKind == QLatin1String("database") || s.isDrill())
            return std::nullopt;
    }
    DrillSuggestion d;
    d.profile = saved.profile;
    d.cron = cronAfter(saved.cron);
    d.timeZone = saved.timeZone;
    d.name = saved.profile + QStringLiteral("-drill");
    for (int i = 2; names.contains(d.name) || d.name == saved.name; ++i)
        d.name = QStringLiteral("%1-drill%2").arg(saved.profile).arg(i);
    return d;
}

QString DrillSuggestion::command() const {
    QString c =
        QStringLiteral("lifeboatctl schedule add %1 --verify --profile %2 --cron \"%3\"").arg(name, profile, cron);
    if (!timeZone.isEmpty())
        c += QStringLiteral(" --tz %1").arg(timeZone);
    return c;
}

ScheduleRecord DrillSuggestion::schedule() const {
    ScheduleRecord s;
    s.name = name;
    s.sourceKind = QStringLiteral("verify");
    s.profile = profile;
    s.cron = cron;
    s.timeZone = timeZone;
    // Fire times owed start now, as for any new schedule.
    s.created = QDateTime::currentDateTimeUtc();
    s.lastCheck = s.created;
    return s;
}

} // namespace lifeboat
