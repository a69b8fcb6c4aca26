#pragma once

#include "catalog/Catalog.h"
#include "catalog/Manifest.h"
#include "core/ExitCode.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace lifeboat {

class S3Session;

// The blocking parts of the bucket browser, for worker threads: which objects of a storage the catalog knows, the
// manifest beside an artifact, importing an artifact the way `lifeboatctl catalog rebuild` does, and removing an
// object the catalog does not know together with its manifest. Catalogued backups are deleted by BackupDeleter
// instead, so their record becomes DELETED.
class BucketArtifacts {
public:
    struct Entry {
        qint64 id = 0;
        QString status;
    };
    struct Imported {
        Error error;
        qint64 id = 0;             // the new record, or the existing one when alreadyKnown
        bool alreadyKnown = false; // the catalog had this artifact (same name and SHA-256) already
        QString signer;            // who signed its manifest (ManifestVerdict::describe)
    };

    static QString manifestKey(const QString &artifactKey) { return artifactKey + QStringLiteral(".manifest.json"); }
    static bool isManifestKey(const QString &key) { return key.endsWith(QLatin1String(".manifest.json")); }

    // Object keys of `storageName`'s copies in records that are not DELETED: key → record.
    static QHash<QString, Entry> catalogued(Catalog &catalog, const QString &storageName);

    // Reads KEY.manifest.json. *found is false (and no error) when there is none. *raw (optional) gets its bytes.
    static Error readManifest(S3Session &session, const QString &artifactKey, Manifest *out, bool *found,
                              QByteArray *raw = nullptr);

    // Adds a COMPLETED record for the artifact at `artifactKey` from the manifest beside it, after checking its
    // signature (one that does not verify is refused, ExitCode::Integrity), that the manifest names this artifact and
    // that the object's size matches it. An artifact the catalog already has is
    // not added twice: its record's id comes back with alreadyKnown.
    static Imported import(S3Session &session, Catalog &catalog, const QString &storageName,
                           const QString &artifactKey);

    // Deletes `key` and, when present, its manifest. *removed lists what went.
    static Error removeObject(S3Session &session, const QString &key, QStringList *removed);
};

} // namespace lifeboat
