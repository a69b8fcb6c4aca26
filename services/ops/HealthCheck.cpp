#include "ops/HealthCheck.h"

#include "catalog/Catalog.h"
#include "schedule/CronExpression.h"
#include "schedule/DueRunner.h"

#include <algorithm>

namespace lifeboat {

namespace {

using State = SourceHealth::State;

bool isGood(const BackupRecord &r) {
    return r.status == BackupRecord::statusCompleted() && !r.locations.isEmpty() &&
           r.verifyOutcome != QLatin1String("FAILED");
}

bool isFinishedAttempt(const BackupRecord &r) {
    return r.status == BackupRecord::statusCompleted() || r.status == BackupRecord::statusFailed();
}

QDateTime finishedOrStarted(const BackupRecord &r) {
    return r.finished.isValid() ? r.finished : r.started;
}

void raise(SourceHealth &h, State s, const QString &reason) {
    if (int(s) > int(h.state) || h.state == State::Unknown)
        h.state = s;
    h.reasons << reason;
}

} // namespace

QString HealthCheck::formatAge(qint64 seconds) {
    if (seconds < 0)
        return QStringLiteral("?");
    const qint64 d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60;
    if (d > 0)
        return h > 0 ? QStringLiteral("%1d %2h").arg(d).arg(h) : QStringLiteral("%1d").arg(d);
    if (h > 0)
        return m > 0 ? QStringLiteral("%1h %2m").arg(h).arg(m) : QStringLiteral("%1h").arg(h);
    return QStringLiteral("%1m").arg(std::max<qint64>(m, seconds > 0 ? 1 : 0));
}

namespace {

QString age(qint64 seconds) {
    return HealthCheck::formatAge(seconds);
}

// Newest first, a page at a time: a source with years of hourly backups is not read whole.
void scanRecords(Catalog *catalog, SourceHealth &h) {
    constexpr int kPage = 200;
    constexpr int kVerifyHorizon = 1000; // drills verify recent backups: the newest verification is among these
    CatalogFilter f;
    f.profile = h.source;
    f.kind = h.kind;
    f.limit = kPage;
    for (f.offset = 0; f.offset < kVerifyHorizon; f.offset += kPage) {
        const QList<BackupRecord> page = catalog->list(f);
        for (const BackupRecord &r : page) {
            if (!h.lastAttempt && isFinishedAttempt(r))
                h.lastAttempt = r;
            if (!h.newestGood && isGood(r))
                h.newestGood = r;
            if (!h.newestGood && r.status == BackupRecord::statusFailed())
                ++h.failuresSinceGood;
            if (r.verifiedAt.isValid() && !r.verifyOutcome.isEmpty() &&
                (!h.lastVerifiedAt.isValid() || r.verifiedAt > h.lastVerifiedAt)) {
                h.lastVerifiedAt = r.verifiedAt;
                h.lastVerifyOutcome = r.verifyOutcome;
                h.lastVerifiedBackupId = r.id;
            }
        }
        if (page.size() < kPage)
            break;
    }
}

} // namespace

QString SourceHealth::stateName(State s) {
    switch (s) {
    case State::Ok:
        return QStringLiteral("OK");
    case State::Warning:
        return QStringLiteral("WARNING");
    case State::Critical:
        return QStringLiteral("CRITICAL");
    case State::Unknown:
        break;
    }
    return QStringLiteral("UNKNOWN");
}

qint64 HealthCheck::periodSeconds(const ScheduleRecord &schedule, const QDateTime &now) {
    const CronExpression cron = CronExpression::parse(schedule.cron);
    if (!cron.isValid())
        return -1;
    const QTimeZone tz = DueRunner::timeZone(schedule.timeZone);
    // Fires from a week back on: covers weekday-only and weekly crons with their longest (weekend) gap; a monthly
    // cron's gaps come from the months ahead.
    QDateTime t = cron.nextFire(now.addDays(-7), tz);
    qint64 longest = -1;
    for (int i = 0; i < 9 && t.isValid(); ++i) {
        const QDateTime next = cron.nextFire(t, tz);
        if (!next.isValid())
            break;
        longest = std::max(longest, t.secsTo(next));
        t = next;
    }
    return longest;
}

QList<SourceHealth> HealthCheck::evaluate(Catalog *catalog, const QList<Source> &sources,
                                          const QList<ScheduleRecord> &schedules, const QDateTime &now,
                                          const Options &options) {
    QList<SourceHealth> out;
    for (const Source &src : sources) {
        SourceHealth h;
        h.source = src.name;
        h.kind = src.kind;
        QDateTime newestScheduleCreated;
        for (const ScheduleRecord &s : schedules) {
            if (s.profile != src.name || s.sourceKind != src.kind)
                continue;
            if (!s.enabled) {
                h.pausedSchedules << s.name;
                continue;
            }
            h.schedules << s.name;
            const qint64 period = periodSeconds(s, now);
            if (period > 0 && (h.periodSeconds < 0 || period < h.periodSeconds)) {
                h.periodSeconds = period;
                h.thresholdOrigin = QStringLiteral("schedule %1").arg(s.name);
            }
            if (s.created.isValid() && (!newestScheduleCreated.isValid() || s.created > newestScheduleCreated))
                newestScheduleCreated = s.created;
        }
        if (h.periodSeconds > 0) {
            h.warningSeconds = h.periodSeconds + std::max<qint64>(h.periodSeconds, 3600);
            h.criticalSeconds = 2 * h.warningSeconds;
        } else {
            h.warningSeconds = kDefaultWarningSeconds;
            h.criticalSeconds = kDefaultCriticalSeconds;
            h.thresholdOrigin = QStringLiteral("default");
        }
        if (options.warningSeconds > 0 || options.criticalSeconds > 0) {
            if (options.warningSeconds > 0)
                h.warningSeconds = options.warningSeconds;
            if (options.criticalSeconds > 0)
                h.criticalSeconds = options.criticalSeconds;
            h.criticalSeconds = std::max(h.criticalSeconds, h.warningSeconds);
            h.thresholdOrigin = QStringLiteral("--warning/--critical");
        }

        scanRecords(catalog, h);
        const bool scheduled = !h.schedules.isEmpty() || !h.pausedSchedules.isEmpty();
        h.monitored = src.named || scheduled || h.lastAttempt.has_value();
        h.state = State::Ok;

        if (h.newestGood) {
            h.ageSeconds = finishedOrStarted(*h.newestGood).secsTo(now);
            if (h.ageSeconds > h.criticalSeconds)
                raise(h, State::Critical,
                      QStringLiteral("newest good backup is %1 old (critical after %2): run `lifeboatctl backup "
                                     "%3` and check why scheduled runs did not succeed")
                          .arg(age(h.ageSeconds), age(h.criticalSeconds), h.source));
            else if (h.ageSeconds > h.warningSeconds)
                raise(h, State::Warning,
                      QStringLiteral("newest good backup is %1 old (warning after %2): check that `run-due` runs "
                                     "(lifeboatctl schedule install) and the last attempt's error")
                          .arg(age(h.ageSeconds), age(h.warningSeconds)));
        } else {
            // A new schedule gets its first period (plus grace) before a missing backup alarms.
            const qint64 waited = newestScheduleCreated.isValid() ? newestScheduleCreated.secsTo(now) : -1;
            if (!h.schedules.isEmpty() && waited >= 0 && waited <= h.warningSeconds && !h.lastAttempt)
                h.reasons << QStringLiteral("no backup yet; its schedule started %1 ago").arg(age(waited));
            else
                raise(h, State::Critical,
                      QStringLiteral("no good backup in the catalog: run `lifeboatctl backup %1` now").arg(h.source));
        }
        if (h.lastAttempt && h.lastAttempt->status == BackupRecord::statusFailed())
            raise(h, State::Warning,
                  QStringLiteral("last attempt #%1 failed %2 ago: %3")
                      .arg(h.lastAttempt->id)
                      .arg(age(finishedOrStarted(*h.lastAttempt).secsTo(now)))
                      .arg(h.lastAttempt->error.simplified().left(200)));
        if (h.lastVerifyOutcome == QLatin1String("FAILED"))
            raise(h, State::Critical,
                  QStringLiteral("last verification (backup #%1, %2 ago) FAILED: run `lifeboatctl verify %1` and "
                                 "read its report before relying on this source's backups")
                      .arg(h.lastVerifiedBackupId)
                      .arg(age(h.lastVerifiedAt.secsTo(now))));
        if (h.schedules.isEmpty() && !h.pausedSchedules.isEmpty())
            raise(h, State::Warning,
                  QStringLiteral("schedule %1 is paused: nothing backs this source up automatically")
                      .arg(h.pausedSchedules.join(QStringLiteral(", "))));
        if (!h.monitored) {
            h.state = State::Ok;
            h.reasons.clear();
        }
        out << h;
    }
    return out;
}

QString HealthCheck::summaryLine(const SourceHealth &h, const QDateTime &now) {
    QStringList parts;
    if (h.newestGood)
        parts << QStringLiteral("newest good backup #%1, %2 ago").arg(h.newestGood->id).arg(age(h.ageSeconds));
    else
        parts << QStringLiteral("no good backup");
    if (h.lastVerifiedAt.isValid())
        parts << QStringLiteral("last verify %1 %2 ago")
                     .arg(h.lastVerifyOutcome.toLower(), age(h.lastVerifiedAt.secsTo(now)));
    else
        parts << QStringLiteral("never verified");
    if (!h.schedules.isEmpty())
        parts << QStringLiteral("schedule %1").arg(h.schedules.join(QStringLiteral(", ")));
    else if (!h.pausedSchedules.isEmpty())
        parts << QStringLiteral("schedule paused");
    else
        parts << QStringLiteral("no schedule");
    if (h.continuous)
        parts << QStringLiteral("capture lag %1 (limit %2)%3")
                     .arg(h.captureLagSeconds >= 0 ? age(h.captureLagSeconds) : QStringLiteral("-"),
                          age(h.captureLagLimitSeconds),
                          h.captureLagging                                 ? QStringLiteral(", lagging")
                          : h.captureLagSeconds > h.captureLagLimitSeconds ? QStringLiteral(", server idle")
                                                                           : QString());
    parts << QStringLiteral("thresholds %1/%2 (%3)")
                 .arg(age(h.warningSeconds), age(h.criticalSeconds), h.thresholdOrigin);
    QString line = QStringLiteral("%1 %2 %3: %4")
                       .arg(h.monitored ? SourceHealth::stateName(h.state) : QStringLiteral("--"), h.kind, h.source,
                            parts.join(QStringLiteral("; ")));
    if (!h.monitored)
        line += QStringLiteral(" (not monitored: no schedule and no backup)");
    for (const QString &r : h.reasons)
        line += QStringLiteral(" | ") + r;
    return line;
}

} // namespace lifeboat
