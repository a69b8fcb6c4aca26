#pragma once

#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"
#include "jobs/BackupStore.h"

#include <QString>

#include <memory>

namespace lifeboat {

// Builds the BackupStore for a configured storage. secret: the S3 secret access key when the storage keeps one in
// the credential store (empty: the AWS environment / named profile chain).
class StoreFactory {
public:
    static std::unique_ptr<BackupStore> create(const StorageConfig &config, const QString &secret, Error *error);
};

} // namespace lifeboat
