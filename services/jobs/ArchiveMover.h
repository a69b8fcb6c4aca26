#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/Catalog.h"
#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"
#include "jobs/BackupDeleter.h"
#include "jobs/BackupStore.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace lifeboat {

// Retention's move to archive storage (`--archive-to`): a record's copies on some storages become one copy on the
// archive storage. The stored bytes are streamed from a present copy into the archive storage while being hashed;
// the copy counts only when that SHA-256 equals the catalog's and the destination confirmed it (a local file is read
// back and hashed again; an S3 upload is confirmed by HEAD: size, and the ETag against the MD5 of what was sent). Its
// manifest (the original's bytes, so its signature still verifies) goes beside it, the catalog gets the new location,
// and only then are the original copies removed (removed-copy rows, reason "archived to X"). Anything that fails
// before that leaves the originals and the catalog as they were and discards what was written. Holds the backup's
// delete lease throughout, like prune. A copy the record already lists on the archive storage is checked (verifyCopy)
// before any original goes; a destination left by a move that stopped before its catalog update is adopted when it
// holds the catalogued bytes; an archive storage overlapping a storage it archives is refused. Blocking: worker
// threads and the CLI only.
class ArchiveMover {
public:
    struct Outcome {
        Error error;         // the move failed; the originals are untouched unless `copied`
        bool copied = false; // the archive copy is verified and catalogued
        QString location;    // where the archive copy is: "storage:key" or a path
        QStringList removed; // original copies removed
        QStringList notes;   // already missing, removal problems
    };

    ArchiveMover(QList<StorageConfig> storages, BackupDeleter::SecretLookup secretFor);

    // Moves the record's copies on `from` to `archive`. A record that already has a copy there (an earlier move
    // whose removal failed) only loses the copies on `from`. `record` is updated to what the catalog now holds.
    Outcome move(Catalog &catalog, BackupRecord &record, const QStringList &from, const QString &archive);

    // Why `archive` cannot archive `source`'s copies: the same or nested local directory, or the same endpoint and
    // bucket with equal or nested prefixes (a copy could land on the original, then the original's removal takes
    // it). Empty when they are apart.
    static QString overlap(const StorageConfig &archive, const StorageConfig &source);
    // The same stored object: one local file (symbolic links resolved), or one key in one bucket at one endpoint.
    static bool sameObject(const StorageConfig &a, const QString &pathA, const StorageConfig &b, const QString &pathB);

private:
    Error copyTo(const BackupRecord &record, const StorageConfig &archive, const QStringList &from,
                 BackupLocation *added);
    // The copy at `loc` is there and holds the catalogued bytes: a local file is hashed again; an S3 object by HEAD
    // (size, and its sha256 metadata) or, without that metadata, read and hashed.
    // *absent: the copy is not there at all (as opposed to there with other bytes).
    Error verifyCopy(const BackupRecord &record, const BackupLocation &loc, bool *absent = nullptr) const;
    // A destination taken already holds the catalogued bytes (verifyCopy): an earlier move stopped before its
    // catalog update. It becomes the archive copy; its manifest is written when missing, and must be the original's
    // when present.
    Error adopt(BackupStore &store, const StorageConfig &archive, const QByteArray &manifest,
                const BackupLocation &dest, BackupLocation *added);
    const StorageConfig *storage(const QString &name) const;

    QList<StorageConfig> m_storages;
    BackupDeleter::SecretLookup m_secretFor;
};

} // namespace lifeboat
