#include "retention/RetentionPolicy.h"

#include <QRegularExpression>
#include <QStringList>

namespace lifeboat {

Error RetentionPolicy::applyEnvironment(const QProcessEnvironment &env) {
    struct Var {
        const char *name;
        int RetentionPolicy::*field;
    };
    static const Var vars[] = {
        {"BACKUP_RETENTION_LAST", &RetentionPolicy::last},       {"BACKUP_RETENTION_HOURLY", &RetentionPolicy::hourly},
        {"BACKUP_RETENTION_DAILY", &RetentionPolicy::daily},     {"BACKUP_RETENTION_WEEKLY", &RetentionPolicy::weekly},
        {"BACKUP_RETENTION_MONTHLY", &RetentionPolicy::monthly}, {"BACKUP_RETENTION_YEARLY", &RetentionPolicy::yearly}};
    RetentionPolicy updated = *this;
    for (const Var &v : vars) {
        const QString name = QLatin1String(v.name);
        const QString value = env.value(name).trimmed();
        if (value.isEmpty())
            continue;
        bool ok = false;
        const int n = value.toInt(&ok);
        if (!ok || n < 0 || n > kMaxCount)
            return {ExitCode::Usage, QStringLiteral("%1='%2' is not a valid count: use a whole number from 0 to %3")
                                         .arg(name, value)
                                         .arg(kMaxCount)};
        updated.*(v.field) = n;
    }
    const QString within = env.value(QStringLiteral("BACKUP_RETENTION_WITHIN")).trimmed();
    if (!within.isEmpty() && !parseDuration(within, &updated.withinSeconds))
        return {ExitCode::Usage,
                QStringLiteral("BACKUP_RETENTION_WITHIN='%1' is not a duration: use e.g. 7d, 36h, 2w or 1d12h")
                    .arg(within)};
    *this = updated;
    return {};
}

bool RetentionPolicy::parseDuration(const QString &text, qint64 *seconds) {
    static const QRegularExpression whole(QStringLiteral("^(?:\\d+[wdh])+$"));
    static const QRegularExpression part(QStringLiteral("(\\d+)([wdh])"));
    const QString t = text.trimmed().toLower();
    if (!whole.match(t).hasMatch())
        return false;
    qint64 total = 0;
    for (auto it = part.globalMatch(t); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        bool ok = false;
        const qint64 n = m.captured(1).toLongLong(&ok);
        const qint64 unit = m.captured(2) == QLatin1String("w")   ? 7 * 86400
                            : m.captured(2) == QLatin1String("d") ? 86400
                                                                  : 3600;
        if (!ok || n > kMaxWithinSeconds / unit)
            return false;
        total += n * unit;
        if (total > kMaxWithinSeconds)
            return false;
    }
    *seconds = total;
    return true;
}

QString RetentionPolicy::formatDuration(qint64 seconds) {
    if (seconds <= 0)
        return QStringLiteral("0h");
    QString out;
    if (seconds >= 86400)
        out += QStringLiteral("%1d").arg(seconds / 86400);
    if (seconds % 86400 >= 3600)
        out += QStringLiteral("%1h").arg(seconds % 86400 / 3600);
    if (seconds % 3600 != 0)
        out += QStringLiteral("%1s").arg(seconds % 3600);
    return out;
}

QString RetentionPolicy::describe() const {
    QStringList parts;
    if (last > 0)
        parts << QStringLiteral("last %1").arg(last);
    if (hourly > 0)
        parts << QStringLiteral("%1 hourly").arg(hourly);
    parts << QStringLiteral("%1 daily").arg(daily) << QStringLiteral("%1 weekly").arg(weekly)
          << QStringLiteral("%1 monthly").arg(monthly);
    if (yearly > 0)
        parts << QStringLiteral("%1 yearly").arg(yearly);
    if (withinSeconds > 0)
        parts << QStringLiteral("within %1").arg(formatDuration(withinSeconds));
    return parts.join(QStringLiteral(", "));
}

} // namespace lifeboat
