#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/Catalog.h"
#include "catalog/StorageConfig.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace lifeboat {

// What the next start does after a crash, `kill -9` or power loss of a Lifeboat process (lifeboatctl and the
// desktop app both run it when they open the catalog):
// - an IN_PROGRESS record whose exact owner (BackupRecord::owner: machine-id, boot id, pid namespace, pid, start
//   ticks) is certainly gone becomes FAILED with an honest error; another machine's or pid namespace's record is
//   never touched. An older record without an owner is marked FAILED when its pid is gone, its files left alone;
// - a location whose cleanup failed (no secret without asking, storage not configured) stays on the FAILED record
//   and is retried at the next start;
// - before that, what the dead run was writing is cleaned up: the `.partial` files at the record's planned local
//   locations (inside the configured storage only) and the open multipart uploads of its S3 keys
//   (ListMultipartUploads on the key, AbortMultipartUpload). A complete copy (the run died after the rename or the
//   upload's completion) is never deleted: the error says where it is;
// - scratch of dead processes goes (ScratchSweeper: password files, decrypted scratch, sandbox clusters and their
//   postmasters).
// Records of other hosts and of live processes are never touched. Every item becomes one line of the report.
class StartupRecovery {
public:
    // Must never prompt (keychain only); empty when the secret is not available.
    using SecretLookup = std::function<QString(const QString &storageName)>;

    struct Report {
        QStringList lines; // one per item cleaned, recovered or left behind (with why)
        int records = 0;   // interrupted records marked FAILED
        int partials = 0;  // partial files removed
        int uploads = 0;   // multipart uploads aborted
        int scratch = 0;   // scratch entries removed
        int problems = 0;  // items that could not be cleaned
        bool isEmpty() const { return lines.isEmpty(); }
        QString summary() const;
    };

    StartupRecovery(Catalog &catalog, QList<StorageConfig> storages, SecretLookup secretFor = {});

    // Scratch space to sweep (default: QDir::tempPath(), where every scratch entry is made).
    void setScratchDir(const QString &dir) { m_scratchDir = dir; }

    // The records this host's dead runs left IN_PROGRESS (one catalog query; no cleaning).
    QList<BackupRecord> interruptedRecords();
    Report run();

private:
    void recover(BackupRecord record, Report &report);
    void retryPending(Report &report);
    // *done is false when the location could not be cleaned (it stays on the record for the next start).
    QStringList cleanLocal(const BackupRecord &record, const BackupLocation &loc, const StorageConfig &sc,
                           Report &report, bool *done);
    QStringList cleanS3(const BackupRecord &record, const BackupLocation &loc, const StorageConfig &sc, Report &report,
                        bool *done);

    Catalog &m_catalog;
    QList<StorageConfig> m_storages;
    SecretLookup m_secretFor;
    QString m_scratchDir;
};

} // namespace lifeboat
