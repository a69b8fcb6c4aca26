#include "ui/restore/ProductionServers.h"

#include "restore/SafetyBackup.h"
#include "secrets/KeychainCredentialStore.h"

namespace lifeboat {

QList<RestoreJob::Request::ProductionServer> ProductionServers::forTarget(const ConfigStore &config,
                                                                          const QString &targetProfile, bool keychain,
                                                                          const QHash<QString, QString> &storageSecrets,
                                                                          const std::shared_ptr<Catalog> &catalog) {
    QList<RestoreJob::Request::ProductionServer> out;
    const QList<StorageConfig> storages = config.storages();
    const QString pgToolDir = config.option(QStringLiteral("pgToolDir"));
    for (const Profile &prod : config.profiles()) {
        if (!prod.production || prod.name == targetProfile)
            continue;
        RestoreJob::Request::ProductionServer ps;
        ps.profile = prod.name;
        ps.conninfo = prod.conninfo;
        auto lookup = [keychain, name = prod.name] {
            if (!keychain)
                return QString();
            KeychainCredentialStore store;
            return store.read(CredentialStore::profilePasswordKey(name)).value_or(QString());
        };
        ps.passwordLookup = lookup;
        ps.safetyBackup = [prod, lookup, storages, storageSecrets, catalog, pgToolDir](const QString &db, Error *why) {
            return SafetyBackup::factory(prod, lookup(), storages, storageSecrets, catalog, pgToolDir)(db, why);
        };
        ps.safetyBackupOf = SafetyBackup::factoryOf(prod, storages, storageSecrets, catalog, pgToolDir);
        out << ps;
    }
    return out;
}

} // namespace lifeboat
