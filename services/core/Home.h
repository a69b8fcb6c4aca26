#pragma once

#include <QString>

namespace lifeboat {

// LIFEBOAT_HOME: where settings (config.json), the catalog (catalog.sqlite) and logs live. Resolution order:
// an explicit --home, the LIFEBOAT_HOME environment variable, the platform's app-data directory.
class Home {
public:
    static QString resolve(const QString &explicitHome = {});
    static bool ensure(const QString &home, QString *error);

    static QString configPath(const QString &home);
    static QString catalogPath(const QString &home);
    static QString defaultBackupDir(const QString &home);
};

} // namespace lifeboat
