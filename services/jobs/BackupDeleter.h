#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/Catalog.h"
#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"

#include <QList>
#include <QStringList>

#include <functional>

namespace lifeboat {

// The one way a backup's copies leave storage: `lifeboatctl delete ID`, `prune` and the runner's retention all
// come here. Every location's artifact and manifest (local file or S3 object) is removed; a copy that is already
// gone is noted and the others are still removed; the record becomes DELETED only when nothing failed, so a
// failed deletion (EXPIRED stays EXPIRED) is retried by the next prune.
class BackupDeleter {
public:
    struct Outcome {
        Error error;          // Transfer when some copy could not be removed
        QStringList removed;  // "path" or "storage:key"
        QStringList missing;  // already gone: logged, not an error
        QStringList problems; // what failed
    };

    using SecretLookup = std::function<QString(const QString &storageName)>;

    BackupDeleter(QList<StorageConfig> storages, SecretLookup secretFor);

    // Removes the copies; does not touch the catalog.
    Outcome removeCopies(const BackupRecord &record);
    // removeCopies, then the record becomes DELETED in `catalog` (when every copy is gone). Refused (ExitCode::Refused,
    // nothing removed) while another operation holds a lease on the backup (LeaseGuard). Under the lease the record
    // is read again from the catalog (`record` becomes that) and its current copies are removed; with
    // `markExpiredFirst` (retention) it becomes EXPIRED first, so a deletion that fails halfway is retried.
    Outcome deleteBackup(Catalog &catalog, BackupRecord &record, bool markExpiredFirst = false);
    // Removes only the record's copies on `storages` (a storage's own retention rules); the record keeps its other
    // copies, and each removed one becomes a RemovedCopy with `reason`. A copy whose removal failed stays a location,
    // so the next prune tries again. Refused like deleteBackup while another operation holds a lease. Acts on the
    // record as the catalog holds it under the lease (`record` becomes that; a copy no longer there is not looked
    // for; a record no longer COMPLETED is left alone). Refused (ExitCode::Refused, nothing removed) when the removal
    // would leave the record without a copy that is still there.
    Outcome removeStorageCopies(Catalog &catalog, BackupRecord &record, const QStringList &storages,
                                const QString &reason);
    // The same for a caller that already holds the backup's delete lease (ArchiveMover, between its verified copy
    // and the removal of the originals).
    Outcome removeStorageCopiesLeased(Catalog &catalog, BackupRecord &record, const QStringList &storages,
                                      const QString &reason);

    const QList<StorageConfig> &storages() const { return m_storages; }
    const SecretLookup &secretLookup() const { return m_secretFor; }

private:
    QList<StorageConfig> m_storages;
    SecretLookup m_secretFor;
};

} // namespace lifeboat
