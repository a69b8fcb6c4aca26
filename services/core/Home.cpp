#include "core/Home.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace lifeboat {

QString Home::resolve(const QString &explicitHome) {
    if (!explicitHome.isEmpty())
        return QDir(explicitHome).absolutePath();
    const QString env = qEnvironmentVariable("LIFEBOAT_HOME");
    if (!env.isEmpty())
        return QDir(env).absolutePath();
    QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/Lifeboat");
}

bool Home::ensure(const QString &home, QString *error) {
    QDir d(home);
    if (!d.exists() && !d.mkpath(QStringLiteral("."))) {
        if (error)
            *error = QStringLiteral("cannot create the Lifeboat home %1 — check permissions or pass --home").arg(home);
        return false;
    }
    // Settings and catalog are the operator's business only.
    QFile::setPermissions(home, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return true;
}

QString Home::configPath(const QString &home) {
    return home + QStringLiteral("/config.json");
}
QString Home::catalogPath(const QString &home) {
    return home + QStringLiteral("/catalog.sqlite");
}
QString Home::defaultBackupDir(const QString &home) {
    return home + QStringLiteral("/backups");
}

} // namespace lifeboat
