#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/Catalog.h"
#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace lifeboat {

// The blocking parts of the history page's actions, written to run on a worker thread (see runAsync) so the
// widgets never touch a file or the catalog themselves. Each mirrors the lifeboatctl command of the same name so
// the GUI and the CLI behave alike.
class BackupActions {
public:
    struct Outcome {
        Error error;
        QString path;        // download: the verified copy
        QByteArray bytes;    // manifest: the JSON
        QStringList missing; // delete: copies that were already gone (not an error)
        QStringList beside;  // download: the manifest and roles file written beside the copy
        QStringList gaps;    // download: what of those could not be copied, in words (the copy itself is verified)
    };

    // Backups younger than this are refused unless forced (lifeboatctl delete --force).
    static constexpr qint64 kDeleteGuardSecs = 24 * 3600;
    static bool isYoungerThanGuard(const BackupRecord &record, const QDateTime &now = QDateTime::currentDateTimeUtc());

    // keychain: whether S3 secret keys may be read from the keychain (blocking: these run on workers).
    // ArtifactReader::downloadTo: NAME.partial, SHA-256 checked against the catalog, renamed on success. Holds a
    // lease on the backup in `catalog` (renewed as it copies), so delete/prune anywhere refuse it meanwhile.
    static Outcome download(const std::shared_ptr<Catalog> &catalog, const BackupRecord &record,
                            const QList<StorageConfig> &storages, const QString &dir, bool keychain);
    // BackupDeleter::deleteBackup: every copy (local file or S3 object) and its manifest, then DELETED. Refuses an
    // IN_PROGRESS record, and one younger than 24 h unless `force`.
    static Outcome remove(const std::shared_ptr<Catalog> &catalog, const QList<StorageConfig> &storages, qint64 id,
                          bool force, bool keychain);
    // The manifest JSON beside the first local copy.
    static Outcome readManifest(const BackupRecord &record);
};

} // namespace lifeboat
