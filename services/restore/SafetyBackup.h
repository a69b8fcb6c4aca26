#pragma once

#include "catalog/Catalog.h"
#include "catalog/Profile.h"
#include "catalog/StorageConfig.h"
#include "restore/RestoreJob.h"

#include <QHash>
#include <QList>

#include <memory>

namespace lifeboat {

// The backup RestoreJob takes of a production target before touching it, shared by `lifeboatctl restore` and the
// desktop restore wizard so both protect production the same way: the target profile's own settings (its
// recipients encrypt the backup, its default storages hold it, labelled "pre-restore safety backup"), pointed at
// the database about to be overwritten.
class SafetyBackup {
public:
    // storages: every configured storage (the profile's default ones are looked up by name); storageSecrets: S3
    // secret keys by storage name, resolved by the caller before the job runs (keychain reads block).
    static RestoreJob::SafetyBackupFactory factory(Profile profile, QString password, QList<StorageConfig> storages,
                                                   QHash<QString, QString> storageSecrets,
                                                   std::shared_ptr<Catalog> catalog, QString pgToolDir);
    // The same, pointed at another server (conninfo, password) chosen later: the production guard's backup of a
    // target it could not tell apart from this profile's server (RestoreJob::Request::ProductionServer).
    static std::function<RestoreJob::SafetyBackupFactory(const QString &conninfo, const QString &password)>
    factoryOf(Profile profile, QList<StorageConfig> storages, QHash<QString, QString> storageSecrets,
              std::shared_ptr<Catalog> catalog, QString pgToolDir);
};

} // namespace lifeboat
