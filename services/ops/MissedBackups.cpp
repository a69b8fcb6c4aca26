#include "ops/MissedBackups.h"

#include <QSet>

namespace lifeboat {

namespace {

QString duration(qint64 seconds) {
    return HealthCheck::formatAge(seconds);
}

} // namespace

QList<MissedBackups::Miss> MissedBackups::detect(Catalog *catalog, const QList<ScheduleRecord> &schedules,
                                                 const QDateTime &now) {
    QList<HealthCheck::Source> sources;
    QSet<QString> seen;
    for (const ScheduleRecord &s : schedules) {
        // A drill backs nothing up: its failures are told as verify.failed, not as a missed backup.
        if (!s.enabled || s.isDrill() || seen.contains(s.sourceKind + QLatin1Char('/') + s.profile))
            continue;
        seen.insert(s.sourceKind + QLatin1Char('/') + s.profile);
        sources.append({s.profile, s.sourceKind, false});
    }
    QList<Miss> out;
    for (const SourceHealth &h : HealthCheck::evaluate(catalog, sources, schedules, now, {})) {
        if (h.schedules.isEmpty())
            continue;
        qint64 overdue = -1; // how long without a good backup, when that is a miss
        if (h.newestGood) {
            if (h.ageSeconds > h.warningSeconds)
                overdue = h.ageSeconds;
        } else {
            qint64 since = -1;
            for (const ScheduleRecord &s : schedules) {
                if (s.enabled && s.profile == h.source && s.sourceKind == h.kind && s.created.isValid())
                    since = std::max(since, s.created.secsTo(now));
            }
            if (since > h.warningSeconds)
                overdue = since;
        }
        if (overdue < 0)
            continue;
        Miss m;
        m.health = h;
        m.key = QStringLiteral("%1/%2#%3").arg(h.kind, h.source).arg(h.newestGood ? h.newestGood->id : 0);
        Notification &n = m.notification;
        n.event = QStringLiteral("backup.missed");
        n.failure = true;
        n.profile = h.source;
        const QString schedule = h.schedules.join(QStringLiteral(", "));
        n.subject = h.newestGood ? QStringLiteral("Lifeboat: no backup of %1 for %2 (schedule %3)")
                                       .arg(h.source, duration(overdue), schedule)
                                 : QStringLiteral("Lifeboat: %1 has never been backed up (schedule %2, %3 ago)")
                                       .arg(h.source, schedule, duration(overdue));
        QStringList lines;
        lines << (h.newestGood
                      ? QStringLiteral("The newest good backup of %1 %2 is #%3, %4 old; schedule %5 promises "
                                       "one every %6 (alert after %7).")
                            .arg(h.kind, h.source)
                            .arg(h.newestGood->id)
                            .arg(duration(overdue), schedule, duration(h.periodSeconds), duration(h.warningSeconds))
                      : QStringLiteral("%1 %2 has no good backup; schedule %3 was added %4 ago.")
                            .arg(h.kind, h.source, schedule, duration(overdue)));
        if (h.lastAttempt && h.lastAttempt->status == QLatin1String("FAILED"))
            lines << QStringLiteral("Last attempt #%1 failed: %2")
                         .arg(h.lastAttempt->id)
                         .arg(h.lastAttempt->error.simplified().left(300));
        lines << QStringLiteral("Next: make sure `lifeboatctl run-due` runs every minute (`lifeboatctl schedule "
                                "install`) or the desktop app is running, then read the last error with "
                                "`lifeboatctl list --profile %1 --status FAILED`.")
                     .arg(h.source);
        n.text = lines.join(QLatin1Char('\n'));
        n.fields = QJsonObject{{QStringLiteral("kind"), h.kind},
                               {QStringLiteral("schedule"), schedule},
                               {QStringLiteral("overdueSeconds"), overdue},
                               {QStringLiteral("periodSeconds"), h.periodSeconds},
                               {QStringLiteral("alertAfterSeconds"), h.warningSeconds},
                               {QStringLiteral("recordId"), h.newestGood ? h.newestGood->id : 0}};
        out << m;
    }
    return out;
}

QList<MissedBackups::Miss> MissedBackups::untold(const QList<Miss> &current, QStringList *alerted) {
    QList<Miss> fresh;
    QStringList now;
    for (const Miss &m : current) {
        now << m.key;
        if (!alerted->contains(m.key))
            fresh << m;
    }
    *alerted = now;
    return fresh;
}

} // namespace lifeboat
