#include "retention/Retention.h"

#include <QHash>

#include <algorithm>

namespace lifeboat {

namespace {

constexpr qint64 kYoungSeconds = 24 * 3600;

bool isSuccessful(const RetentionItem &item) {
    return item.status == BackupStatus::Completed && item.hasLocation;
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
    QHash<QString, QList<const RetentionItem *>> bySource;
    for (const RetentionItem &item : items)
        bySource[item.source].append(&item);

    auto indexOf = [&items](const RetentionItem *p) { return qsizetype(p - items.constData()); };
    for (auto it = bySource.begin(); it != bySource.end(); ++it) {
        QList<const RetentionItem *> successful;
        for (const RetentionItem *p : it.value()) {
            if (isSuccessful(*p))
                successful.append(p);
        }
        std::sort(successful.begin(), successful.end(), newerThan);

        int daily = 0, weekly = 0, monthly = 0;
        for (const RetentionItem *p : successful) {
            if (p->manual)
                continue;
            QStringList &reasons = rankReasons[indexOf(p)];
            const bool isDaily = p->isDaily || (!p->isWeekly && !p->isMonthly);
            if (isDaily && ++daily <= policy.daily)
                reasons.append(QStringLiteral("daily #%1 of %2").arg(daily).arg(policy.daily));
            if (p->isWeekly && ++weekly <= policy.weekly)
                reasons.append(QStringLiteral("weekly #%1 of %2").arg(weekly).arg(policy.weekly));
            if (p->isMonthly && ++monthly <= policy.monthly)
                reasons.append(QStringLiteral("monthly #%1 of %2").arg(monthly).arg(policy.monthly));
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

        keep += rankReasons.value(i);
        if (item.started.secsTo(now) < kYoungSeconds)
            keep.append(QStringLiteral("younger than 24 h"));

        if (keep.isEmpty() && expire.isEmpty()) {
            // A successful scheduled backup outside every window it belongs to.
            QStringList windows;
            if (item.isDaily || (!item.isWeekly && !item.isMonthly))
                windows.append(QStringLiteral("daily %1").arg(policy.daily));
            if (item.isWeekly)
                windows.append(QStringLiteral("weekly %1").arg(policy.weekly));
            if (item.isMonthly)
                windows.append(QStringLiteral("monthly %1").arg(policy.monthly));
            expire.append(QStringLiteral("beyond the retention windows (%1)").arg(windows.join(QStringLiteral(", "))));
        }
        d.action = keep.isEmpty() ? RetentionDecision::Action::Expire : RetentionDecision::Action::Keep;
        d.reasons = keep.isEmpty() ? expire : keep;
        out.append(d);
    }
    return out;
}

} // namespace lifeboat
