#pragma once

#include "retention/Retention.h"

#include <QList>
#include <QString>

namespace lifeboat {

// One member record of an application backup set, as retention sees it.
struct SetRetentionItem {
    QString setId;              // the set capture this record belongs to
    QString setName;            // the configured set: retention ranks the captures of one set against each other
    RetentionItem item;         // the record itself (its `source` is ignored: the set is the source)
    bool setIncomplete = false; // the capture stopped at a failed member (the record says "set incomplete")
};

// Retention for application backup sets: a set capture is kept or expired as a whole, never member by member, so
// a restore of any kept set id always finds every member. Each capture becomes one item for Retention::decide
// (source = set name): successful only when every member is COMPLETED with an artifact and the capture did not
// stop part-way (a member that failed verification marks the whole capture so); started (and periodTime) = its earliest
// member's; promotion flags, manual/label/keepDays from its first member (all members of a capture share them).
// IN_PROGRESS in any member keeps the whole capture. Every member gets the capture's decision, its reasons prefixed
// with the set id. Decisions come back in the order of `items`.
class SetRetention {
public:
    static QList<RetentionDecision> decide(const QList<SetRetentionItem> &items, const RetentionPolicy &policy,
                                           const QDateTime &now);
};

} // namespace lifeboat
