#pragma once

#include <QString>

namespace lifeboat {

// A bucket mirror: the objects under `sourcePrefix` of the source storage (any configured S3 storage) copied into
// the backup storage `storage` (S3: under {prefix}/mirror/{name}/objects/, local: DIR/mirror/{name}/objects/).
// Names only: credentials come from the storages as for backups.
struct MirrorConfig {
    QString name;
    QString sourceStorage;
    QString sourcePrefix; // "" = the whole bucket (below the source storage's own prefix)
    QString storage;      // destination storage name
};

} // namespace lifeboat
