#pragma once

#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"
#include "jobs/BackupStore.h"
#include "storage/S3Config.h"

#include <QString>

#include <memory>
#include <optional>

namespace lifeboat {

class S3Session;

// Builds what a configured storage needs: the BackupStore for backups, and for S3 the connection settings. S3
// credentials come from `secret` (the credential store's copy of the storage's secret key) when the storage names
// an access key id, else from the AWS chain (environment, ~/.aws/credentials and config, --aws-profile).
class StoreFactory {
public:
    static std::unique_ptr<BackupStore> create(const StorageConfig &config, const QString &secret, Error *error);
    static std::optional<S3Config> s3Config(const StorageConfig &config, const QString &secret, Error *error);
    static std::shared_ptr<S3Session> s3Session(const StorageConfig &config, const QString &secret, Error *error);
};

} // namespace lifeboat
