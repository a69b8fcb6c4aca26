#include "sets/SetPruner.h"

#include "retention/SetRetention.h"
#include "sets/SetBackupJob.h"

#include <QHash>

namespace lifeboat {

Error SetPruner::policyFor(const ConfigStore &config, const SetConfig &set, RetentionPolicy *policy) {
    if (Error e = RetentionPruner::basePolicy(config, policy))
        return e;
    if (set.keepDaily >= 0)
        policy->daily = set.keepDaily;
    if (set.keepWeekly >= 0)
        policy->weekly = set.keepWeekly;
    if (set.keepMonthly >= 0)
        policy->monthly = set.keepMonthly;
    if (set.keepHourly >= 0)
        policy->hourly = set.keepHourly;
    if (set.keepYearly >= 0)
        policy->yearly = set.keepYearly;
    if (set.keepLast >= 0)
        policy->last = set.keepLast;
    if (set.keepWithinSeconds >= 0)
        policy->withinSeconds = set.keepWithinSeconds;
    // Captures are counted by the days, weeks and months of the set's own schedule.
    if (const QTimeZone tz = RetentionPruner::scheduleZone(set.timeZone); tz.isValid())
        policy->zone = tz;
    return {};
}

QList<RetentionPruner::Entry> SetPruner::plan(Catalog &catalog, const QString &setName, const RetentionPolicy &policy,
                                              const QDateTime &now) {
    QList<BackupRecord> records;
    QList<SetRetentionItem> items;
    for (const QString &setId : catalog.setIds(SetBackupJob::idPrefix(setName))) {
        for (const BackupRecord &r : catalog.listBySet(setId)) {
            SetRetentionItem it;
            it.setId = setId;
            it.setName = setName;
            it.item = RetentionPruner::itemFor(r);
            it.setIncomplete = r.error.startsWith(SetBackupJob::incompleteMarker());
            records << r;
            items << it;
        }
    }
    const QList<RetentionDecision> decisions = SetRetention::decide(items, policy, now);
    QHash<QString, RetentionDecision> byId;
    for (const RetentionDecision &d : decisions)
        byId.insert(d.id, d);
    QList<RetentionPruner::Entry> out;
    for (const BackupRecord &r : std::as_const(records)) {
        const auto it = byId.constFind(QString::number(r.id));
        if (it == byId.cend() || r.status == BackupRecord::statusDeleted())
            continue;
        RetentionPruner::Entry e;
        e.record = r;
        e.decision = *it;
        e.outcome = e.decision.keep() ? QStringLiteral("keep") : QStringLiteral("expire");
        out << e;
    }
    return out;
}

} // namespace lifeboat
