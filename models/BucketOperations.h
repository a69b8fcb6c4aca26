#pragma once

#include "catalog/Catalog.h"
#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"
#include "storage/S3Config.h"

#include <QHash>
#include <QList>
#include <QStringList>

#include <memory>
#include <optional>

namespace lifeboat {

// The blocking parts of the bucket browser's actions, written to run on worker threads (runAsync) so the page never
// touches the network, the keychain or the catalog itself. `keychain`: whether secrets may be read from it.
class BucketOperations {
public:
    struct Resolved {
        std::optional<S3Config> config; // with its secret, for this process's memory only
        Error error;
    };
    struct Removed {
        QStringList keys; // object keys now gone from the browsed storage (also those already missing)
        QStringList missing;
        QStringList problems;
        bool catalogChanged = false;
    };
    struct Imported {
        QList<qint64> ids; // new records, or existing ones for artifacts the catalog knew already
        QStringList problems;
    };

    // Connection settings of an S3 storage: its keychain secret, or the AWS credential chain.
    static Resolved resolve(const StorageConfig &storage, bool keychain);
    // The storage editor's Test: can these settings be used as they stand? S3: one listing of the bucket under the
    // prefix with `secret` (empty: the keychain's copy under `keychainName`, or the AWS chain); local: the folder
    // exists (or its parent does) and is writable. Empty message: it works; `*summary` says what was checked.
    static Error testStorage(const StorageConfig &storage, const QString &secret, const QString &keychainName,
                             bool keychain, QString *summary);
    // Object key → record id of the storage's catalogued copies.
    static QHash<QString, qint64> catalogIndex(Catalog &catalog, const QString &storageName);
    // plainKeys: objects the catalog does not know (deleted with their manifest). recordIds: catalogued backups,
    // deleted through BackupDeleter (every copy, then DELETED). catalog must be usable from the calling thread.
    static Removed remove(const S3Config &config, const QString &storageName, const QList<StorageConfig> &storages,
                          const QStringList &plainKeys, const QList<qint64> &recordIds,
                          const std::shared_ptr<Catalog> &catalog, bool keychain);
    // BucketArtifacts::import for each key.
    static Imported import(const S3Config &config, const QString &storageName, const QStringList &keys,
                           const std::shared_ptr<Catalog> &catalog);
};

} // namespace lifeboat
