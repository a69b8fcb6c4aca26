#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/Catalog.h"
#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

namespace lifeboat {

// The blocking parts of the history page's actions, written to run on a worker thread (see runAsync) so the
// widgets never touch a file or the catalog themselves. Each mirrors the lifeboatctl command of the same name so
// the GUI and the CLI behave alike.
class BackupActions {
public:
    struct Outcome {
        Error error;
        QString path;     // download: the verified copy
        QByteArray bytes; // manifest: the JSON
    };

    // Backups younger than this are refused unless forced (lifeboatctl delete --force).
    static constexpr qint64 kDeleteGuardSecs = 24 * 3600;
    static bool isYoungerThanGuard(const BackupRecord &record, const QDateTime &now = QDateTime::currentDateTimeUtc());

    // ArtifactReader::downloadTo: NAME.partial, SHA-256 checked against the catalog, renamed on success.
    static Outcome download(const BackupRecord &record, const QList<StorageConfig> &storages, const QString &dir);
    // Removes the local copies and manifests, marks the record DELETED. Refuses an IN_PROGRESS record, and one
    // younger than 24 h unless `force`.
    static Outcome remove(const std::shared_ptr<Catalog> &catalog, qint64 id, bool force);
    // The manifest JSON beside the first local copy.
    static Outcome readManifest(const BackupRecord &record);
};

} // namespace lifeboat
