#pragma once

#include "catalog/Catalog.h"
#include "crypto/AgeRecipient.h"
#include "files/FilesBackupOptions.h"
#include "jobs/BackupStore.h"
#include "jobs/Job.h"

#include <memory>
#include <vector>

namespace lifeboat {

// Backs up one directory (an uploads folder, a container volume's mount point) in a single pass: the tree →
// pax tar (FilesTarWriter) → gzip|zstd → SHA-256 → [age] → SHA-256 → every store, then a manifest with the file
// count and content bytes beside each copy, and one catalog record of kind "files".
class FilesBackupJob : public Job {
    Q_OBJECT
public:
    struct Request {
        QString sourceName; // the configured file source (or the name given on the command line)
        QString path;       // the directory
        FilesBackupOptions options;
        std::vector<std::unique_ptr<BackupStore>> stores;
        std::shared_ptr<Catalog> catalog;
        std::vector<AgeRecipient> encryptTo; // empty: plain
    };

    explicit FilesBackupJob(Request request, QObject *parent = nullptr);
    ~FilesBackupJob() override;

    QString title() const override;

protected:
    JobResult execute() override;

private:
    // A refusal before the record exists is still recorded, FAILED with its error (FailedAttempt).
    JobResult failBeforeRecord(const Error &e, const QDateTime &started);

    Request m_req;
};

} // namespace lifeboat
