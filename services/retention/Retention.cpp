#include "retention/Retention.h"

#include <QHash>
#include <QSet>
#include <QTimeZone>

#include <algorithm>

namespace lifeboat {

namespace {

constexpr qint64 kYoungSeconds = 24 * 3600;

bool isSuccessful(const RetentionItem &item) {
    return item.status == BackupStatus::Completed && item.hasLocation && !item.verificationFailed;
}

enum class Period { Hour, Day, Week, Month, Year };

// A number that identifies the calendar period holding `local`; equal numbers, same period.
qint64 periodKey(Period period, const QDateTime &local) {
    const QDate d = local.date();
    switch (period) {
    case Period::Hour:
        return d.toJulianDay() * 24 + local.time().hour();
    case Period::Day:
        return d.toJulianDay();
    case Period::Week: {
        int isoYear = 0;
        const int week = d.weekNumber(&isoYear);
        return qint64(isoYear) * 100 + week;
    }
    case Period::Month:
        return qint64(d.year()) * 100 + d.month();
    case Period::Year:
        return d.year();
    }
    return 0;
}

QString periodLabel(Period period, const QDateTime &local) {
    const QDate d = local.date();
    switch (period) {
    case Period::Hour:
        return local.toString(QStringLiteral("yyyy-MM-dd HH:00"));
    case Period::Day:
        return d.toString(Qt::ISODate);
    case Period::Week: {
        int isoYear = 0;
        const int week = d.weekNumber(&isoYear);
        return QStringLiteral("%1-W%2").arg(isoYear).arg(week, 2, 10, QLatin1Char('0'));
    }
    case Period::Month:
        return d.toString(QStringLiteral("yyyy-MM"));
    case Period::Year:
        return QString::number(d.year());
    }
    return {};
}

// Newest first; the id breaks ties so the result never depends on input order.
bool newerThan(const RetentionItem *a, const RetentionItem *b) {
    if (a->started != b->started)
        return a->started > b->started;
    return a->id > b->id;
}

QString manualName(const RetentionItem &item) {
    return item.label.isEmpty() ? QStringLiteral("manual backup")
                                : QStringLiteral("manual backup '%1'").arg(item.label);
}

} // namespace

QString Retention::statusName(BackupStatus status) {
    switch (status) {
    case BackupStatus::InProgress:
        return QStringLiteral("IN_PROGRESS");
    case BackupStatus::Completed:
        return QStringLiteral("COMPLETED");
    case BackupStatus::Failed:
        return QStringLiteral("FAILED");
    case BackupStatus::Cancelled:
        return QStringLiteral("CANCELLED");
    case BackupStatus::Expired:
        return QStringLiteral("EXPIRED");
    case BackupStatus::Deleted:
        return QStringLiteral("DELETED");
    }
    return {};
}

QList<RetentionDecision> Retention::decide(const QList<RetentionItem> &items, const RetentionPolicy &policy,
                                           const QDateTime &now) {
    // Keep reasons found by ranking within each source, keyed by item index.
    QHash<qsizetype, QStringList> rankReasons;
    // How many of an item's rank reasons come from the monthly and yearly rules (the archival ones).
    QHash<qsizetype, int> archivalReasons;
    QHash<QString, QList<const RetentionItem *>> bySource;
    for (const RetentionItem &item : items)
        bySource[item.source].append(&item);

    auto indexOf = [&items](const RetentionItem *p) { return qsizetype(p - items.constData()); };
    const QTimeZone zone = policy.zone.isValid() ? policy.zone : QTimeZone::utc();
    struct Rule {
        const char *name;
        int count;
        Period period;
    };
    const Rule rules[] = {{"hourly", policy.hourly, Period::Hour},
                          {"daily", policy.daily, Period::Day},
                          {"weekly", policy.weekly, Period::Week},
                          {"monthly", policy.monthly, Period::Month},
                          {"yearly", policy.yearly, Period::Year}};
    const bool anyPeriodRule =
        std::any_of(std::begin(rules), std::end(rules), [](const Rule &r) { return r.count > 0; });
    const QDateTime withinSince = now.addSecs(-policy.withinSeconds);
    for (auto it = bySource.begin(); it != bySource.end(); ++it) {
        QList<const RetentionItem *> successful;
        for (const RetentionItem *p : it.value()) {
            if (isSuccessful(*p))
                successful.append(p);
        }
        std::sort(successful.begin(), successful.end(), newerThan);

        QList<QDateTime> local; // in the zone its periods are counted in, parallel to `successful`
        if (anyPeriodRule) {
            local.reserve(successful.size());
            for (const RetentionItem *p : std::as_const(successful)) {
                const QDateTime &t = p->periodTime.isValid() ? p->periodTime : p->started;
                local.append(p->manual ? t.toUTC() : t.toTimeZone(zone));
            }
        }
        for (qsizetype i = 0; i < successful.size() && i < policy.last; ++i)
            rankReasons[indexOf(successful[i])].append(QStringLiteral("last (%1 of %2)").arg(i + 1).arg(policy.last));
        for (const Rule &rule : rules) {
            // Newest first, so the first backup seen in a period is that period's newest, and periods come in the
            // order of their newest backups. A set (not just "the previous key") keeps this true when manual
            // backups counted in UTC interleave with scheduled ones counted in another zone.
            QSet<qint64> seen;
            int filled = 0;
            for (qsizetype i = 0; i < successful.size() && filled < rule.count; ++i) {
                const qint64 key = periodKey(rule.period, local[i]);
                if (seen.contains(key))
                    continue;
                seen.insert(key);
                ++filled;
                if (rule.period == Period::Month || rule.period == Period::Year)
                    ++archivalReasons[indexOf(successful[i])];
                rankReasons[indexOf(successful[i])].append(QStringLiteral("%1 %2 (%3 of %4)")
                                                               .arg(QLatin1String(rule.name))
                                                               .arg(periodLabel(rule.period, local[i]))
                                                               .arg(filled)
                                                               .arg(rule.count));
            }
        }
        if (policy.withinSeconds > 0) {
            const QString within =
                QStringLiteral("within %1").arg(RetentionPolicy::formatDuration(policy.withinSeconds));
            for (const RetentionItem *p : std::as_const(successful)) {
                if (p->started <= withinSince)
                    break;
                rankReasons[indexOf(p)].append(within);
            }
        }
        if (!successful.isEmpty())
            rankReasons[indexOf(successful.first())].append(QStringLiteral("newest successful backup of source"));
    }

    QList<RetentionDecision> out;
    out.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const RetentionItem &item = items[i];
        if (item.status == BackupStatus::Deleted)
            continue;
        RetentionDecision d;
        d.id = item.id;
        d.source = item.source;
        QStringList keep;
        QStringList expire;

        switch (item.status) {
        case BackupStatus::InProgress:
            keep.append(QStringLiteral("in progress"));
            break;
        case BackupStatus::Expired:
            // Decided earlier; only its deletion is outstanding. Protections below do not revive it.
            d.action = RetentionDecision::Action::Expire;
            d.reasons = {QStringLiteral("already expired, deletion pending")};
            out.append(d);
            continue;
        case BackupStatus::Failed:
        case BackupStatus::Cancelled:
            expire.append(
                QStringLiteral("%1 backup (status %2) holds no usable backup")
                    .arg(item.status == BackupStatus::Failed ? QStringLiteral("failed") : QStringLiteral("cancelled"),
                         statusName(item.status)));
            break;
        case BackupStatus::Completed:
            if (!item.hasLocation) {
                expire.append(QStringLiteral("completed but its artifact is missing (no stored location)"));
            } else if (item.verificationFailed) {
                // It may be wanted for forensics: removed only when asked for explicitly.
                if (policy.pruneFailedVerification) {
                    expire << QStringLiteral("verification failed")
                           << QStringLiteral("removed by prune --failed-verification");
                } else {
                    keep << QStringLiteral("verification failed")
                         << QStringLiteral("kept for inspection until prune --failed-verification");
                }
            } else if (item.manual) {
                if (item.keepDays <= 0) {
                    keep.append(manualName(item) + QStringLiteral(", kept until deleted"));
                } else {
                    const QDateTime until = item.started.addDays(item.keepDays);
                    const QString date = until.toUTC().date().toString(Qt::ISODate);
                    if (until > now)
                        keep.append(QStringLiteral("%1, kept for %2 days (until %3)")
                                        .arg(manualName(item))
                                        .arg(item.keepDays)
                                        .arg(date));
                    else
                        expire.append(QStringLiteral("%1, its %2-day retention ended on %3")
                                          .arg(manualName(item))
                                          .arg(item.keepDays)
                                          .arg(date));
                }
            }
            break;
        case BackupStatus::Deleted:
            break;
        }

        const bool onlyRanked = keep.isEmpty();
        keep += rankReasons.value(i);
        if (item.started.secsTo(now) < kYoungSeconds)
            keep.append(QStringLiteral("younger than 24 h"));

        if (keep.isEmpty() && expire.isEmpty()) {
            // A successful backup that no rule keeps.
            expire.append(QStringLiteral("beyond the retention rules (%1)").arg(policy.describe()));
        }
        d.action = keep.isEmpty() ? RetentionDecision::Action::Expire : RetentionDecision::Action::Keep;
        d.reasons = keep.isEmpty() ? expire : keep;
        d.archivalOnly = d.keep() && onlyRanked && archivalReasons.value(i) == keep.size();
        out.append(d);
    }
    return out;
}

} // namespace lifeboat
