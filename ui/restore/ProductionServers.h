#pragma once

#include "catalog/ConfigStore.h"
#include "restore/RestoreJob.h"

#include <QHash>
#include <QList>
#include <QString>

#include <memory>

namespace lifeboat {

class Catalog;

// The production profiles a desktop restore compares its target with (the restore wizard and the set restore
// dialog, as RestoreCliSupport::productionServers does for lifeboatctl): every production profile other than the
// chosen target, with its password read from the keychain on the job's thread when asked, its safety backup, and
// the safety backup of the target itself for when the guard cannot prove the target is another server.
class ProductionServers {
public:
    static QList<RestoreJob::Request::ProductionServer> forTarget(const ConfigStore &config,
                                                                  const QString &targetProfile, bool keychain,
                                                                  const QHash<QString, QString> &storageSecrets,
                                                                  const std::shared_ptr<Catalog> &catalog);
};

} // namespace lifeboat
