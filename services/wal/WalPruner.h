#pragma once

#include "catalog/BaseBackupInfo.h"
#include "catalog/StorageConfig.h"
#include "catalog/WalFileRecord.h"
#include "core/ExitCode.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace lifeboat {

class Catalog;

// Retention of archived WAL (issue 17): WAL is worth keeping only as far as a base backup can replay it. Every base
// backup still present (kept by retention, or EXPIRED with its deletion pending or refused, e.g. while a recover
// holds it) needs the WAL from its start segment to the newest WAL; so everything older than the oldest present base
// backup's start segment goes, on every timeline, and nothing at or after it — a gap never makes later WAL
// removable. Timeline history files stay (a few bytes; recovery onto a later timeline reads them). Without any base
// backup, or with one whose WAL range the catalog lacks, nothing is removed. plan() is pure; execute() removes the
// planned objects from their storages and their wal_files rows (blocking: worker threads and the CLI only).
class WalPruner {
public:
    struct Base {
        qint64 id = 0;
        BaseBackupInfo info;
    };
    // A run of WAL files of one timeline with one fate.
    struct Range {
        quint32 timeline = 0;
        QString first;          // oldest segment name in the run
        QString last;           // newest
        int segments = 0;       // complete segments (distinct names)
        int files = 0;          // distinct files: segments, partial uploads, backup history files
        qint64 plainBytes = 0;  // WAL bytes the distinct segments hold
        qint64 storedBytes = 0; // bytes of every stored copy
        QStringList storages;
        bool remove = false;
        QString reason;

        // "WAL 0000000100000000000000A3..0000000100000000000000B7 (21 segments, 336 MiB)"
        QString describe() const;
        QJsonObject toJson() const;
    };
    struct Plan {
        QString profile;
        qint64 segmentSize = 16 * 1024 * 1024;
        qint64 oldestBaseId = 0;   // the oldest present base backup (0: none)
        QString cutoff;            // its start segment: WAL with a lower segment number goes
        QList<Range> ranges;       // per timeline: runs to remove (split at gaps), then what is kept
        QList<WalFileRecord> rows; // the rows (one per stored copy) to remove, oldest first
        QString note;              // why nothing is removed, when that is so

        int removeFiles() const;
        qint64 removeStoredBytes() const;
    };
    struct Outcome {
        int removed = 0;      // copies removed (object and row)
        QStringList missing;  // objects already gone (their rows are removed)
        QStringList problems; // what could not be removed (row kept, retried by the next prune)
        Error error;          // Transfer when something could not be removed
    };
    using SecretLookup = std::function<QString(const QString &storageName)>;

    // `present`: the profile's base backups that stay (COMPLETED or EXPIRED, not about to be deleted).
    static Plan plan(const QString &profile, const QList<Base> &present, const QList<WalFileRecord> &rows);
    // Removes each planned copy from its storage, then its row; a copy whose storage is not configured or whose removal
    // fails keeps its row. The oldest first, so an interrupted prune leaves the archive contiguous.
    static Outcome execute(Catalog &catalog, const Plan &plan, const QList<StorageConfig> &storages,
                           const SecretLookup &secretFor);

    // The whole step for one profile, as `prune`, run-due and the app's runner call it after the base backups'
    // retention: the base backups that stay (COMPLETED or EXPIRED in the catalog, less `leaving`: in a dry run the
    // ones the plan would delete), the plan over the profile's wal_files rows, and unless dryRun its execution.
    struct Result {
        Plan plan;
        Outcome outcome;
    };
    static Result prune(Catalog &catalog, const QString &profile, const QList<qint64> &leaving, bool dryRun,
                        const QList<StorageConfig> &storages, const SecretLookup &secretFor);
};

} // namespace lifeboat
