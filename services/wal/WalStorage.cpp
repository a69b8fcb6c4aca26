#include "wal/WalStorage.h"

#include "jobs/StoreFactory.h"
#include "wal/LocalWalStorage.h"
#include "wal/S3WalStorage.h"

namespace lifeboat {

std::unique_ptr<WalStorage> WalStorage::open(const StorageConfig &config, const QString &secret, Error *error) {
    if (config.isLocal())
        return std::make_unique<LocalWalStorage>(config.name, config.localDir);
    if (config.isS3()) {
        auto session = StoreFactory::s3Session(config, secret, error);
        if (!session)
            return nullptr;
        return std::make_unique<S3WalStorage>(config.name, std::move(session));
    }
    if (error)
        *error = {ExitCode::Usage,
                  QStringLiteral("storage \"%1\" has an unsupported kind \"%2\"").arg(config.name, config.kind)};
    return nullptr;
}

} // namespace lifeboat
