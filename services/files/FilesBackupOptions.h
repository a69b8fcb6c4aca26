#pragma once

#include <QString>
#include <QStringList>

namespace lifeboat {

// How to back up one directory; shared by the CLI, application backup sets and schedules.
struct FilesBackupOptions {
    QString setId;                           // application backup set (empty: a standalone run)
    QString type = QStringLiteral("MANUAL"); // DAILY | WEEKLY | MONTHLY | MANUAL
    QString label;
    QStringList excludes;                         // globs: without "/" they match any name, with "/" the relative path
    QString compression = QStringLiteral("zstd"); // gzip | zstd | none
    int level = -1;                               // -1: the codec's default (gzip 6, zstd 3)
};

} // namespace lifeboat
