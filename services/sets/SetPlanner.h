#pragma once

#include "catalog/Catalog.h"
#include "catalog/ConfigStore.h"
#include "core/ExitCode.h"
#include "crypto/AgeIdentity.h"
#include "restore/RestoreJob.h"
#include "restore/RestoreOptions.h"
#include "sets/SetBackupJob.h"
#include "sets/SetRestoreJob.h"

#include <QHash>

#include <optional>
#include <vector>

namespace lifeboat {

// Turns a configured set into the member jobs of SetBackupJob, and a captured set (its catalog records) into the
// members of SetRestoreJob, so the CLI and the desktop app build them the same way. Secrets are resolved by the
// caller before any job runs (keychain reads block and may prompt).
class SetPlanner {
public:
    struct Secrets {
        QHash<QString, QString> storages; // S3 secret keys by storage name
        QString databasePassword;         // empty: libpq's own sources
        QHash<QString, QString> redis;    // Redis passwords by source name (empty: none)
    };

    // Database first, then bucket mirrors, directories and Redis sources, each in the order the set lists them.
    static std::optional<SetBackupJob::Request> backup(const ConfigStore &config, const SetConfig &set,
                                                       const QDateTime &startedUtc, const QString &type,
                                                       std::shared_ptr<Catalog> catalog, const Secrets &secrets,
                                                       Error *error);

    struct RestoreTargets {
        RestoreOptions database;  // target server, database, --create/--clean/--confirm…; dryRun is the set's
        QString databasePassword; // target server password
        RestoreJob::SafetyBackupFactory safetyBackup;
        // Production profiles whose servers the database member's RestoreJob compares with the target's (by system
        // identifier and port), as `restore` does: a URI target reaching one gets production treatment.
        QList<RestoreJob::Request::ProductionServer> productionServers;
        std::vector<AgeIdentity> identities;
        QString mirrorStorage;           // empty: each mirror's own source storage
        QString mirrorPrefix;            // null: the original prefix; with several mirrors: PREFIX/<mirror name>
        bool overwrite = false;          // mirrors and directories: replace different existing content
        QHash<QString, QString> filesTo; // file source name → directory (default: the source's own directory)
    };

    static std::optional<SetRestoreJob::Request> restore(const ConfigStore &config, std::shared_ptr<Catalog> catalog,
                                                         const QString &setId, const RestoreTargets &targets,
                                                         const Secrets &secrets, Error *error);
};

} // namespace lifeboat
