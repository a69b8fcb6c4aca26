#pragma once

#include <QString>
#include <QStringList>

namespace lifeboat {

// A named directory to back up (uploads, a container volume's mount point). Backup sets name it in SetConfig::files.
struct FileSourceConfig {
    QString name;
    QString path;
    QStringList excludes;                         // globs (FilesTarWriter::matches)
    QString compression = QStringLiteral("zstd"); // gzip | zstd | none
    QStringList storages;                         // default storages
    QStringList recipients;                       // age recipients; empty: plain
};

} // namespace lifeboat
