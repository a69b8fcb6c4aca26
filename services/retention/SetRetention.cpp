#include "retention/SetRetention.h"

#include <QHash>

namespace lifeboat {

QList<RetentionDecision> SetRetention::decide(const QList<SetRetentionItem> &items, const RetentionPolicy &policy,
                                              const QDateTime &now) {
    // One retention item per capture, in first-seen order.
    struct Tally {
        int members = 0;
        int deleted = 0;
        bool inProgress = false;
        bool broken = false; // failed, cancelled, or stopped part-way
        bool expired = false;
    };
    QList<RetentionItem> captures;
    QList<Tally> tallies;
    QHash<QString, qsizetype> indexOfSet;
    for (const SetRetentionItem &m : items) {
        auto found = indexOfSet.constFind(m.setId);
        if (found == indexOfSet.cend()) {
            RetentionItem c = m.item;
            c.id = m.setId;
            c.source = m.setName;
            found = indexOfSet.insert(m.setId, captures.size());
            captures.append(c);
            tallies.append(Tally());
        }
        RetentionItem &c = captures[*found];
        Tally &t = tallies[*found];
        if (m.item.started.isValid() && (!c.started.isValid() || m.item.started < c.started))
            c.started = m.item.started;
        if (m.item.periodTime.isValid() && (!c.periodTime.isValid() || m.item.periodTime < c.periodTime))
            c.periodTime = m.item.periodTime;
        c.hasLocation = c.hasLocation && m.item.hasLocation;
        c.verificationFailed = c.verificationFailed || m.item.verificationFailed;
        ++t.members;
        switch (m.item.status) {
        case BackupStatus::InProgress:
            t.inProgress = true;
            break;
        case BackupStatus::Failed:
        case BackupStatus::Cancelled:
            t.broken = true;
            break;
        case BackupStatus::Expired:
            t.expired = true;
            break;
        case BackupStatus::Deleted:
            ++t.deleted;
            break;
        case BackupStatus::Completed:
            break;
        }
        if (m.setIncomplete)
            t.broken = true;
    }
    // The capture's status is its least finished member's: in progress keeps it whole; a failed, cancelled,
    // part-way or partly deleted capture is broken; completed only when every member is.
    for (qsizetype i = 0; i < captures.size(); ++i) {
        const Tally &t = tallies.at(i);
        BackupStatus &s = captures[i].status;
        if (t.deleted == t.members)
            s = BackupStatus::Deleted;
        else if (t.inProgress)
            s = BackupStatus::InProgress;
        else if (t.broken || t.deleted > 0)
            s = BackupStatus::Failed;
        else if (t.expired)
            s = BackupStatus::Expired;
        else
            s = BackupStatus::Completed;
    }

    const QList<RetentionDecision> decided = Retention::decide(captures, policy, now);
    QHash<QString, RetentionDecision> bySet;
    for (const RetentionDecision &d : decided)
        bySet.insert(d.id, d);

    QList<RetentionDecision> out;
    out.reserve(items.size());
    for (const SetRetentionItem &m : items) {
        if (!bySet.contains(m.setId))
            continue; // a capture whose members are all DELETED: finished, like a DELETED record
        const RetentionDecision &set = bySet[m.setId];
        RetentionDecision d;
        d.id = m.item.id;
        d.source = m.setName;
        d.action = set.action;
        for (const QString &r : set.reasons)
            d.reasons << QStringLiteral("set %1: %2").arg(m.setId, r);
        out.append(d);
    }
    return out;
}

} // namespace lifeboat
