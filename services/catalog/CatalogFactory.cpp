#include "catalog/CatalogFactory.h"

#include "core/Home.h"

namespace lifeboat {

bool CatalogFactory::isPostgresUri(const QString &uri) {
    const QString u = uri.trimmed();
    return u.startsWith(QLatin1String("postgresql://")) || u.startsWith(QLatin1String("postgres://")) ||
           u.contains(QLatin1Char('='));
}

std::shared_ptr<SqlCatalog> CatalogFactory::forUri(const QString &uri, const QString &home) {
    const QString u = uri.trimmed();
    if (isPostgresUri(u))
        return std::make_shared<SqlCatalog>(QStringLiteral("QPSQL"), u); // libpq expands a URI given as dbname
    if (u.startsWith(QLatin1String("sqlite:")))
        return std::make_shared<SqlCatalog>(QStringLiteral("QSQLITE"), u.mid(7));
    return std::make_shared<SqlCatalog>(QStringLiteral("QSQLITE"), u.isEmpty() ? Home::catalogPath(home) : u);
}

std::shared_ptr<SqlCatalog> CatalogFactory::fromConfig(const ConfigStore &config, const QString &home,
                                                       const QString &overrideUri) {
    return forUri(overrideUri.trimmed().isEmpty() ? config.option(QStringLiteral("catalogUri")) : overrideUri, home);
}

} // namespace lifeboat
