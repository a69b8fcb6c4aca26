#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/Catalog.h"
#include "catalog/ConfigStore.h"
#include "catalog/ScheduleRecord.h"
#include "core/ExitCode.h"
#include "jobs/BackupDeleter.h"
#include "retention/Promotion.h"
#include "retention/Retention.h"
#include "retention/RetentionPolicy.h"

#include <QDateTime>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTimeZone>

namespace lifeboat {

// Retention applied to a catalog: the policy in effect for a profile, the retention view of a catalog record,
// the keep/expire plan with its reasons, and carrying out the plan through BackupDeleter. Shared by
// `lifeboatctl prune`, `run-due` and the desktop app's retention preview and "Prune now", so they can never
// disagree about what would be deleted. Blocking (catalog, file system, S3): worker threads and the CLI only.
class RetentionPruner {
public:
    // One record and what retention decided for it; after execute(), what actually happened.
    // What happens to the record's copy on one storage: the source's decision, or the storage's own rules.
    struct CopyDecision {
        QString storage;
        bool keep = true;
        bool ownRules = false; // decided by the storage's own rules (StorageConfig::keep*)
        QString policy;        // the rules that decided, RetentionPolicy::describe()
        QStringList reasons;
        // Kept only by monthly/yearly rules with an archive storage set: the copy moves there (ArchiveMover).
        QString moveTo;
    };
    struct Entry {
        BackupRecord record;
        RetentionDecision decision; // Expire: the whole record goes (no copy is kept)
        QList<CopyDecision> copies; // one per storage holding a copy
        // "keep" | "expire" | "keep, remove copy on S" | "keep, move copy on S to A" (plan); "deleted" |
        // "expired, deletion failed" | "copy removed from S" | "copy removal failed" | "moved from S to A" |
        // "archive move failed"
        QString outcome;
        QStringList notes; // "already missing: …", deletion problems

        // Storages whose copy goes while the record (kept) stays.
        QStringList dropStorages() const;
        // Storages whose copy moves to `archive` (moveTo) while the record stays; each archive storage once.
        QStringList moveStorages(const QString &archive) const;
        QStringList archiveTargets() const;
        bool touched() const { return !decision.keep() || !dropStorages().isEmpty() || !archiveTargets().isEmpty(); }
    };

    // Where each count of the effective policy came from, for showing it to the operator.
    enum class Origin { Default, Setting, Environment, Schedule };
    struct Sources {
        Origin daily = Origin::Default;
        Origin weekly = Origin::Default;
        Origin monthly = Origin::Default;
        Origin hourly = Origin::Default;
        Origin yearly = Origin::Default;
        Origin last = Origin::Default;
        Origin within = Origin::Default;
    };

    // Defaults (7 daily, 4 weekly, 12 monthly; 0 hourly, yearly, last; no within) ← settings retentionDaily/
    // Weekly/Monthly/Hourly/Yearly/Last/Within (and retentionArchiveTo, a storage name) ← BACKUP_RETENTION_* ← the
    // overrides on the source's schedules. The periods are counted in the time zone of the source's (first) schedule;
    // UTC without one. A Usage error when a setting or variable is not a count (or, for within, a duration).
    static Error policyFor(const ConfigStore &config, const QList<ScheduleRecord> &schedules, const QString &profile,
                           RetentionPolicy *policy, Sources *sources = nullptr,
                           const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());
    // The same for one source of a kind: only the overrides of schedules of that kind count (empty kind: any).
    static Error policyForSource(const ConfigStore &config, const QList<ScheduleRecord> &schedules, const QString &kind,
                                 const QString &source, RetentionPolicy *policy, Sources *sources = nullptr,
                                 const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());
    // The same without the schedules' overrides: what a profile without its own counts gets.
    static Error basePolicy(const ConfigStore &config, RetentionPolicy *policy, Sources *sources = nullptr,
                            const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

    static RetentionItem itemFor(const BackupRecord &record);
    // The zone a schedule's periods are counted in: its own, or the system zone when it names none.
    static QTimeZone scheduleZone(const QString &timeZone);

    // Settings promotionWeekDay (monday..sunday, default sunday) and promotionMonthDay (1..31, default 1).
    static Error promotionRule(const ConfigStore &config, PromotionRule *rule);
    // "DAILY", "DAILY,WEEKLY", "DAILY,MONTHLY", "DAILY,WEEKLY,MONTHLY"
    static QString typeList(const PromotionFlags &flags);

    // The decisions for every record of `profile` that is not DELETED yet, in catalog order. With `kind`, only
    // records of that kind (database | files | redis | mirror): sources of different kinds may share a name.
    // With `storages`, a storage with its own rules decides its copies alone (see applyStorageRules).
    static QList<Entry> plan(Catalog &catalog, const QString &profile, const RetentionPolicy &policy,
                             const QDateTime &now, const QString &kind = QString(),
                             const QList<StorageConfig> &storages = {});
    // The decisions for these records of one source (none DELETED), in their order, storage rules applied.
    static QList<Entry> planRecords(const QList<BackupRecord> &records, const RetentionPolicy &policy,
                                    const QDateTime &now, const QList<StorageConfig> &storages = {});
    // The rules of a storage with its own (StorageConfig::hasRetention): its counts replace the whole policy (a
    // count it does not set is 0, so `--keep-within 7d` alone means seven days), zone and failed-verification
    // handling stay the source's.
    static RetentionPolicy storagePolicy(const StorageConfig &storage, const RetentionPolicy &sourcePolicy);
    // Per-copy decisions: a copy on a storage without rules of its own follows the record's decision; a storage
    // with rules decides over the copies it holds (restic semantics, per storage). The record is expired only when
    // no copy is kept; otherwise it is kept and only the copies not kept go.
    static void applyStorageRules(QList<Entry> &entries, const QList<StorageConfig> &storages,
                                  const RetentionPolicy &policy, const QDateTime &now);
    // Carries out one entry: an expired record is deleted (EXPIRED first), a kept one has its archival copies moved
    // (ArchiveMover, with the deleter's storages and secrets: verified copy first, original removed after) and loses
    // its dropped copies.
    // Sets outcome/notes; returns false when something could not be removed (retried by the next prune).
    static bool executeEntry(Catalog &catalog, Entry &entry, BackupDeleter &deleter, bool *deletedRecord = nullptr);
    // Every entry to expire becomes EXPIRED (so a deletion that fails halfway is retried by the next prune), then
    // its copies are removed and it becomes DELETED. Fills outcome/notes; returns how many were deleted and sets
    // *failed to how many could not be.
    static int execute(Catalog &catalog, QList<Entry> &entries, BackupDeleter &deleter, int *failed = nullptr);
};

} // namespace lifeboat
