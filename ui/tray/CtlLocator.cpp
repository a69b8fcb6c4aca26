#include "ui/tray/CtlLocator.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace lifeboat {

QString CtlLocator::path() {
    if (const QString given = qEnvironmentVariable("LIFEBOAT_CTL"); !given.isEmpty())
        return given;
    const QString dir = QCoreApplication::applicationDirPath();
    for (const QString &candidate :
         {dir + QStringLiteral("/lifeboatctl"), QDir(dir).filePath(QStringLiteral("../cli/lifeboatctl"))}) {
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return QStandardPaths::findExecutable(QStringLiteral("lifeboatctl"));
}

} // namespace lifeboat
