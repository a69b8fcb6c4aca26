#pragma once

#include "core/ExitCode.h"
#include "pipeline/ByteSink.h"

#include <QString>

#include <atomic>

namespace lifeboat {

// Streams a directory tree as a pax tar archive (libarchive) into a sink: pg_dump's directory format and file
// backups become one artifact that goes through the same hashing/encryption/upload pipeline.
class TarWriter {
public:
    explicit TarWriter(ByteSink *sink);

    // Adds every file below rootDir, named relative to it under `prefix` (e.g. "dump/"); finishes the archive but
    // not the sink. Symlinks are stored as links; permissions and mtimes are kept.
    bool writeTree(const QString &rootDir, const QString &prefix, const std::atomic_bool *cancel = nullptr);

    const Error &error() const { return m_error; }
    qint64 filesWritten() const { return m_files; }

private:
    ByteSink *m_sink;
    Error m_error;
    qint64 m_files = 0;
};

} // namespace lifeboat
