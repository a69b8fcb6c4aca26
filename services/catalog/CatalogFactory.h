#pragma once

#include "catalog/ConfigStore.h"
#include "catalog/SqlCatalog.h"

#include <QString>

#include <memory>

namespace lifeboat {

// Which catalog a program opens, decided in one place so `lifeboatctl` and the desktop app always agree:
// `--catalog URI` (the CLI) or else the catalogUri setting in config.json; a postgresql:// or postgres:// URI or a
// libpq key=value conninfo is the shared PostgreSQL team catalog (its password from ~/.pgpass or PGPASSFILE, never
// from the settings), "sqlite:PATH" or a plain path another SQLite file, and nothing the home's own catalog.sqlite.
// The catalog is returned unopened.
class CatalogFactory {
public:
    static std::shared_ptr<SqlCatalog> forUri(const QString &uri, const QString &home);
    static std::shared_ptr<SqlCatalog> fromConfig(const ConfigStore &config, const QString &home,
                                                  const QString &overrideUri = QString());
    static bool isPostgresUri(const QString &uri);
};

} // namespace lifeboat
