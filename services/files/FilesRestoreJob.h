#pragma once

#include "catalog/Catalog.h"
#include "catalog/StorageConfig.h"
#include "crypto/AgeIdentity.h"
#include "jobs/ArtifactReader.h"
#include "jobs/Job.h"

#include <memory>
#include <vector>

namespace lifeboat {

// Restores a file backup (catalog id or artifact path) into a directory, or — verifyOnly — reads the whole
// archive without writing anything. Both first check the stored bytes' SHA-256 against the catalog/manifest,
// then stream the plaintext through FilesExtractor and compare the file count and content bytes with the
// manifest. A restore refuses a non-empty target unless overwrite is set (exit 6). Who signed the manifest is
// reported (details "manifestSignature") and checked before anything is extracted. The backup's lease is renewed
// while the archive is read, so delete/prune elsewhere keep refusing it however long the run takes.
class FilesRestoreJob : public Job {
    Q_OBJECT
public:
    struct Request {
        QString source; // "42" or a path
        std::shared_ptr<Catalog> catalog;
        QList<StorageConfig> storages;
        ArtifactReader::SecretLookup secretFor; // S3 secrets of the storages
        std::vector<AgeIdentity> identities;
        QString targetDir; // ignored when verifyOnly
        bool overwrite = false;
        bool allowExternalSymlinks = false;
        bool verifyOnly = false;
        // Refuse (exit 4) an unsigned manifest or an unknown signer; a signature that does not verify is refused
        // always (ManifestSignatureCheck).
        bool requireSigned = false;
    };

    explicit FilesRestoreJob(Request request, QObject *parent = nullptr);
    ~FilesRestoreJob() override;

    QString title() const override;

protected:
    JobResult execute() override;

private:
    JobResult done(const Error &e, qint64 recordId, QJsonObject details);

    Request m_req;
};

} // namespace lifeboat
