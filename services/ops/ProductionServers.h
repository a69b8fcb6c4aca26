#pragma once

#include "catalog/ConfigStore.h"
#include "restore/RestoreJob.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace lifeboat {

class Catalog;
class CredentialStore;

// The production profiles a restore compares its target with (restore and set restore, both front ends): every
// production profile other than the chosen target, with its password, its safety backup, and the safety backup of
// the target itself for when the guard cannot prove the target is another server.
class ProductionServers {
public:
    // Passwords come from `stored` (null: libpq's own sources). A front end passes only a store that keeps secrets
    // - these profiles are not the one the user named, so their passwords are never asked for on a terminal.
    static QList<RestoreJob::Request::ProductionServer> forTarget(const ConfigStore &config,
                                                                  const QString &targetProfile, CredentialStore *stored,
                                                                  const QHash<QString, QString> &storageSecrets,
                                                                  const std::shared_ptr<Catalog> &catalog);
    // The keys forTarget reads from `stored`, for a front end that reads them ahead (the app: on a worker).
    static QStringList secretKeys(const ConfigStore &config, const QString &targetProfile);
};

} // namespace lifeboat
