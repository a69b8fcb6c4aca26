#pragma once

#include <QString>
#include <QStringList>

namespace lifeboat {

// A database server profile. The conninfo never holds the password (see Conninfo); that lives in a
// CredentialStore under CredentialStore::profilePasswordKey(name).
struct Profile {
    QString name;
    QString conninfo;
    bool production = false;
    QStringList defaultStorages;
    QStringList excludeTables; // always excluded from backups, e.g. public._prisma_migrations
    QStringList recipients;    // default age recipients for backups of this profile
    QString postRestoreCommand;
    // Each database backup also carries the server's global objects (roles, tablespaces: pg_dumpall --globals-only)
    // as a companion file; role passwords only when globalsRolePasswords (default --no-role-passwords).
    bool globals = false;
    bool globalsRolePasswords = false;
    // Continuous protection (point-in-time recovery): the desktop app's tray runner keeps `wal receive` running for
    // this profile, uploading the segment being filled every partialUploadSeconds.
    bool continuous = false;
    int partialUploadSeconds = 60;
};

} // namespace lifeboat
