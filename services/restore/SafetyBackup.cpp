#include "restore/SafetyBackup.h"

#include "crypto/AgeRecipient.h"
#include "jobs/BackupJob.h"
#include "jobs/StoreFactory.h"
#include "pg/Conninfo.h"

namespace lifeboat {

RestoreJob::SafetyBackupFactory SafetyBackup::factory(Profile profile, QString password, QList<StorageConfig> storages,
                                                      QHash<QString, QString> storageSecrets,
                                                      std::shared_ptr<Catalog> catalog, QString pgToolDir) {
    return [=](const QString &db, Error *why) -> std::unique_ptr<Job> {
        if (profile.defaultStorages.isEmpty()) {
            *why = {ExitCode::Refused,
                    QStringLiteral("profile \"%1\" has no default storage to hold it").arg(profile.name)};
            return nullptr;
        }
        BackupJob::Request b;
        b.profile = profile;
        Error e;
        b.profile.conninfo = Conninfo::parse(profile.conninfo, &e).withDatabase(db).toKeywordString();
        // Every table of the target: the profile's always-excluded tables are still part of the database a
        // restore (--clean) may overwrite, and their contents are in no other backup.
        b.profile.excludeTables.clear();
        b.options.excludeTables.clear();
        b.password = password;
        b.options.label = QStringLiteral("pre-restore safety backup");
        for (const QString &r : profile.recipients) {
            QString bad;
            const auto rec = AgeRecipient::parse(r, &bad);
            if (!rec) {
                *why = {ExitCode::Usage, QStringLiteral("profile recipient: %1").arg(bad)};
                return nullptr;
            }
            b.encryptTo.push_back(*rec);
        }
        b.catalog = catalog;
        b.pgToolDir = pgToolDir;
        for (const QString &name : profile.defaultStorages) {
            const auto sc = std::find_if(storages.cbegin(), storages.cend(),
                                         [&](const StorageConfig &s) { return s.name == name; });
            if (sc == storages.cend()) {
                *why = {ExitCode::Usage, QStringLiteral("unknown storage \"%1\"").arg(name)};
                return nullptr;
            }
            auto store = StoreFactory::create(*sc, storageSecrets.value(name), why);
            if (!store)
                return nullptr;
            b.stores.push_back(std::move(store));
        }
        return std::make_unique<BackupJob>(std::move(b));
    };
}

std::function<RestoreJob::SafetyBackupFactory(const QString &, const QString &)>
SafetyBackup::factoryOf(Profile profile, QList<StorageConfig> storages, QHash<QString, QString> storageSecrets,
                        std::shared_ptr<Catalog> catalog, QString pgToolDir) {
    return [=](const QString &conninfo, const QString &password) {
        Profile p = profile;
        p.conninfo = conninfo;
        return factory(p, password, storages, storageSecrets, catalog, pgToolDir);
    };
}

} // namespace lifeboat
