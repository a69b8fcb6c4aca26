#pragma once

#include "catalog/Catalog.h"
#include "catalog/ConfigStore.h"
#include "jobs/RetentionPruner.h"

namespace lifeboat {

// Retention for application backup sets on a catalog: every capture of a set (records sharing a set id that
// starts with "set-<name>-") is kept or expired as a whole (SetRetention). Per-profile retention skips set
// members (RetentionPruner::plan), so a database dump is never expired while its set keeps its uploads.
class SetPruner {
public:
    // The base policy (settings, BACKUP_RETENTION_*) with the set's own rules (keep counts, within) on top.
    static Error policyFor(const ConfigStore &config, const SetConfig &set, RetentionPolicy *policy);
    // Decisions for every member record of every capture of the set that is not DELETED, newest capture first.
    static QList<RetentionPruner::Entry> plan(Catalog &catalog, const QString &setName, const RetentionPolicy &policy,
                                              const QDateTime &now);
};

} // namespace lifeboat
