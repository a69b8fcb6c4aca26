#pragma once

#include "catalog/BaseBackupInfo.h"
#include "catalog/Catalog.h"
#include "catalog/Profile.h"
#include "crypto/AgeRecipient.h"
#include "jobs/BackupStore.h"
#include "jobs/Job.h"

#include <memory>
#include <vector>

namespace lifeboat {

// A physical base backup of a whole cluster, the starting point of point-in-time recovery: `pg_basebackup -D -
// -Ft -X fetch` (tar to stdout, the WAL it needs inside, so it restores on its own to its end point; PostgreSQL 13+
// injects backup_manifest into the stream) through the same storage half as every other backup (ArtifactBackup:
// zstd → SHA-256 → [age] → every store, manifest, catalog record of kind "base"). Its WAL range — start LSN and
// timeline from the stream's backup_label, end LSN from the manifest's WAL-Ranges — goes into the manifest and the
// catalog (BaseBackupInfo), read on the way (BaseBackupTarTap), not from a second pass.
//
// Refused before anything is written, with the fix in the message: a server older than 13, wal_level minimal or no
// WAL senders, extra tablespaces (pg_basebackup can stream only one to stdout), a role without REPLICATION (the
// ALTER ROLE to run), a pg_hba.conf without a replication line for this client (the line to add). Every refused or
// failed attempt is recorded FAILED like other backups.
class BaseBackupJob : public Job {
    Q_OBJECT
public:
    struct Request {
        Profile profile;
        QString password; // empty: libpq's own sources
        QString type = QStringLiteral("MANUAL");
        QString label;
        std::vector<std::unique_ptr<BackupStore>> stores;
        std::shared_ptr<Catalog> catalog;
        QString pgToolDir;
        std::vector<AgeRecipient> encryptTo;
    };

    explicit BaseBackupJob(Request request, QObject *parent = nullptr);
    ~BaseBackupJob() override;

    QString title() const override;

    // The WAL range from the stream's backup_label and backup_manifest; *error says what is missing.
    static BaseBackupInfo describe(const QByteArray &backupLabel, const QByteArray &backupManifest, QString *error);

protected:
    JobResult execute() override;

private:
    JobResult failBeforeRecord(const Error &e);

    Request m_req;
    QDateTime m_started;
    QString m_systemIdentifier;
};

} // namespace lifeboat
