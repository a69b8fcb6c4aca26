#include "jobs/StoreFactory.h"

#include "jobs/LocalStore.h"

namespace lifeboat {

std::unique_ptr<BackupStore> StoreFactory::create(const StorageConfig &config, const QString &secret, Error *error) {
    Q_UNUSED(secret)
    if (config.isLocal())
        return std::make_unique<LocalStore>(config.name, config.localDir);
    if (error)
        *error = {ExitCode::Usage,
                  QStringLiteral("storage \"%1\" has an unsupported kind \"%2\"").arg(config.name, config.kind)};
    return nullptr;
}

} // namespace lifeboat
