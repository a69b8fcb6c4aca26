#pragma once

#include "core/ExitCode.h"

#include <QString>

#include <atomic>

namespace lifeboat {

// Unpacks a tar archive (Lifeboat's pax tar of a pg_dump directory-format backup) into a directory with
// libarchive. Only regular files and directories are written, and only below the destination: absolute names,
// ".." components and links are refused, so a crafted archive cannot write outside the scratch directory.
class TarExtractor {
public:
    static bool extract(const QString &tarPath, const QString &destDir, const std::atomic_bool *cancel, Error *error,
                        qint64 *filesWritten = nullptr);
    // Whether a member name stays below the destination once joined to it.
    static bool isSafeMemberName(const QString &name);
};

} // namespace lifeboat
