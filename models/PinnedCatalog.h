#pragma once

#include "catalog/Catalog.h"

#include <memory>

namespace lifeboat {

// A Catalog that runs every call on the one long-lived catalog thread (catalogPool()) and waits for the answer.
// For jobs: SqlCatalog keeps one connection per thread until the catalog closes, and every job runs on a new,
// short-lived thread; routing the jobs' few catalog calls to one thread that never dies keeps that to a single
// connection for the app's whole life instead of one more per job. Blocks the caller:
// for worker threads only — never the GUI thread, and never the catalog thread itself (it would wait for itself).
class PinnedCatalog : public Catalog {
public:
    explicit PinnedCatalog(std::shared_ptr<Catalog> inner);

    bool open(QString *error) override;
    int schemaVersion() override;
    bool insert(BackupRecord &record, QString *error) override;
    bool update(const BackupRecord &record, QString *error) override;
    std::optional<BackupRecord> get(qint64 id) override;
    QList<BackupRecord> list(const CatalogFilter &filter) override;
    int count(const CatalogFilter &filter) override;
    int recoverInterrupted(const QString &host) override;
    bool hasArtifact(const QString &filename, const QString &sha256) override;
    bool hasFilename(const QString &filename) override;
    bool setScheduledFor(qint64 id, const QDateTime &fireTime, QString *error) override;
    // Leases and signing keys go to the real catalog too: the defaults would make the desktop app's restores hold
    // no lease and its manifests' keys unknown.
    qint64 acquireLease(qint64 backupId, const QString &operation, int ttlSeconds, QString *error) override;
    void releaseLease(qint64 leaseId) override;
    bool renewLease(qint64 leaseId, int ttlSeconds) override;
    QList<BackupLease> otherLeases(qint64 backupId, qint64 exceptId) override;
    bool addSigningKey(const SigningKeyRecord &key, QString *error) override;
    QList<SigningKeyRecord> signingKeys() override;
    // Base backups' ranges and archived WAL: the defaults would show the app's recovery no base backup and no WAL.
    bool saveBaseBackup(const BaseBackupInfo &info, QString *error) override;
    std::optional<BaseBackupInfo> baseBackup(qint64 backupId) override;
    bool putWalFile(const WalFileRecord &file, QString *error) override;
    QList<WalFileRecord> walFiles(const WalFileFilter &filter) override;
    bool removeWalFile(const WalFileRecord &file, QString *error) override;

private:
    std::shared_ptr<Catalog> m_inner;
};

} // namespace lifeboat
