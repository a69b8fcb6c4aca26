#include "ops/ProductionServers.h"

#include "core/CredentialStore.h"
#include "restore/SafetyBackup.h"

namespace lifeboat {

QList<RestoreJob::Request::ProductionServer>
ProductionServers::forTarget(const ConfigStore &config, const QString &targetProfile, CredentialStore *stored,
                             const QHash<QString, QString> &storageSecrets, const std::shared_ptr<Catalog> &catalog) {
    QList<RestoreJob::Request::ProductionServer> out;
    const QList<StorageConfig> storages = config.storages();
    const QString pgToolDir = config.option(QStringLiteral("pgToolDir"));
    for (const Profile &prod : config.profiles()) {
        if (!prod.production || prod.name == targetProfile)
            continue;
        RestoreJob::Request::ProductionServer ps;
        ps.profile = prod.name;
        ps.conninfo = prod.conninfo;
        if (stored)
            ps.password = stored->read(CredentialStore::profilePasswordKey(prod.name)).value_or(QString());
        ps.safetyBackup = SafetyBackup::factory(prod, ps.password, storages, storageSecrets, catalog, pgToolDir);
        ps.safetyBackupOf = SafetyBackup::factoryOf(prod, storages, storageSecrets, catalog, pgToolDir);
        out << ps;
    }
    return out;
}

QStringList ProductionServers::secretKeys(const ConfigStore &config, const QString &targetProfile) {
    QStringList keys;
    for (const Profile &prod : config.profiles())
        if (prod.production && prod.name != targetProfile)
            keys << CredentialStore::profilePasswordKey(prod.name);
    return keys;
}

} // namespace lifeboat
