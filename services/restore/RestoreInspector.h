#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/Catalog.h"
#include "catalog/Manifest.h"
#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"
#include "crypto/AgeIdentity.h"
#include "pg/PgVersion.h"
#include "restore/ArchiveHeader.h"
#include "restore/RestorePlan.h"

#include <QHash>
#include <QList>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace lifeboat {

// What the restore wizard's "Inspect" step shows before any target is chosen: the backup's details, its archive
// header against the newest installed client (the "install PostgreSQL N client tools" message when the archive is
// too new), and the table of contents as a RestorePlan (with definitions, so tables carry their children). It
// drives the same RestoreEngine steps a RestoreJob runs first, and changes nothing. Blocking: call it on a worker.
class RestoreInspector {
public:
    struct Request {
        QString source; // catalog id or file path
        std::shared_ptr<Catalog> catalog;
        QList<StorageConfig> storages;
        QHash<QString, QString> storageSecrets;
        std::vector<AgeIdentity> identities;
        QString pgToolDir;
        const std::atomic_bool *cancel = nullptr;
    };
    struct Result {
        Error error; // the source could not be opened or read (the message says what to do)
        QString displayName;
        BackupRecord record; // id 0 for a bare file
        std::optional<Manifest> manifest;
        bool encrypted = false;
        qint64 size = -1;
        QString format; // "custom archive", "plain SQL", …
        ArchiveHeader header;
        bool hasToc = false;
        RestorePlan plan;
        PgVersion client;      // the pg_restore (or psql) that would read it
        QString clientMessage; // empty when it can; otherwise "archive made by pg_dump N — install …"
    };

    static Result inspect(const Request &request);
};

} // namespace lifeboat
