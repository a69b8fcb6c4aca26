#pragma once

#include "core/ExitCode.h"

#include <QString>

#include <atomic>
#include <functional>

namespace lifeboat {

class RestoreSource;
class StreamPipe;

// Reads a file-backup archive (pax tar, gzip/zstd/none — libarchive detects the filter) from a stream and either
// unpacks it below a directory or only reads it through (verify). Extraction is traversal-safe by construction:
// every member name is checked (no absolute names, no "..") before it is joined to the canonical destination;
// hard-link targets get the same check; symlinks whose text is absolute or climbs out of the tree are refused
// unless explicitly allowed; and libarchive's ARCHIVE_EXTRACT_SECURE_SYMLINKS/NODOTDOT refuse to write through any
// symlink already on disk. Permissions, mtimes (directories too, fixed up at the end) and holes are restored.
class FilesExtractor {
public:
    struct Options {
        QString destDir; // empty: read and count only
        bool allowExternalSymlinks = false;
        const std::atomic_bool *cancel = nullptr;
        std::function<void(qint64 bytesRead)> progress;
        std::function<void(const QString &)> log;
    };
    struct Result {
        qint64 fileCount = 0;  // regular files (hard links not counted again)
        qint64 totalBytes = 0; // their content bytes
        qint64 dirCount = 0;
        qint64 symlinkCount = 0;
    };

    explicit FilesExtractor(Options options);

    // Pulls the archive from the pipe until its end; closes the reader side when done.
    bool run(StreamPipe *pipe);
    // Streams the source's plaintext through a pipe into run() on a second thread.
    bool runFrom(RestoreSource &source);

    const Error &error() const { return m_error; }
    const Result &result() const { return m_result; }

    // Whether a symlink at relPath with this target text resolves (lexically) inside the tree.
    static bool linkStaysInside(const QString &relPath, const QString &target);

private:
    bool fail(ExitCode code, const QString &message);

    Options m_opt;
    Error m_error;
    Result m_result;
};

} // namespace lifeboat
