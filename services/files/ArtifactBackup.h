#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/Catalog.h"
#include "core/ExitCode.h"
#include "crypto/AgeRecipient.h"
#include "jobs/BackupStore.h"
#include "jobs/JobProgress.h"
#include "pipeline/ByteSink.h"

#include <QDateTime>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace lifeboat {

class AgeEncryptStage;
class HashStage;
class TeeSink;

// The storage half of a file or Redis backup, the same as BackupJob's: [gzip|zstd] → SHA-256 (plain) → [age] →
// SHA-256 (stored) → every store in one pass, then the manifest beside each copy and the catalog record's final
// state. A copy is only recorded when every store finished; on any failure every store discards what it wrote.
class ArtifactBackup {
public:
    struct Setup {
        std::vector<std::unique_ptr<BackupStore>> stores;
        std::shared_ptr<Catalog> catalog;
        std::vector<AgeRecipient> encryptTo; // empty: plain
        QString compression;                 // gzip | zstd | none
        int level = -1;                      // -1: codec default
        // SHA-256 on threads of their own (HashStage::Threading::OwnThread), off the thread that feeds head():
        // for streams the reading thread can't keep up with alone (base backups).
        bool hashOnThreads = false;
    };

    explicit ArtifactBackup(Setup setup);
    ~ArtifactBackup();

    // "gzip:6", "zstd:3" or "none"; and the artifact's extension suffix (".gz", ".zst", "").
    QString compressionLabel() const;
    QString compressionSuffix() const;
    bool encrypted() const { return !m_setup.encryptTo.empty(); }

    // A unique artifact name for this start time: "-2", "-3"… when the catalog already has one.
    QString uniqueName(const QString &source, const QString &part, const QDateTime &started,
                       const QString &extension) const;
    // Prepares every store and the stage chain; the record is inserted IN_PROGRESS (sets record.id).
    bool begin(BackupRecord &record, qint64 sizeHint, Error *error);
    ByteSink *head() const { return m_head; }
    // Finishes the stream and fills size/sha256/plainSha256/recipients of the record.
    bool finishStream(BackupRecord &record, Error *error);
    bool putManifests(const QByteArray &json, BackupRecord &record, Error *error);
    // Records the outcome (COMPLETED when e is empty, else FAILED/CANCELLED after discarding every copy).
    JobResult finishRecord(BackupRecord &record, const Error &e, const std::function<void(const QString &)> &log);
    // Discards before any record exists.
    void discardAll();

private:
    Setup m_setup;
    QList<BackupStore *> m_begun;
    std::unique_ptr<TeeSink> m_tee;
    std::unique_ptr<HashStage> m_stored;
    std::unique_ptr<AgeEncryptStage> m_encrypt;
    std::unique_ptr<HashStage> m_plain;
    std::unique_ptr<ByteSink> m_compress;
    ByteSink *m_head = nullptr;
};

} // namespace lifeboat
