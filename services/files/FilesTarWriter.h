#pragma once

#include "core/ExitCode.h"
#include "pipeline/ByteSink.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace lifeboat {

// Streams a directory tree into a sink as a pax tar archive (libarchive) for file backups. Unlike TarWriter (which
// archives pg_dump's directory format) it honours exclude globs, keeps symlinks as the link text exactly as stored
// on disk (never following them), keeps empty directories, permissions and nanosecond mtimes, and counts what it
// stored for the manifest. Hard links stay hard links. Sockets and device nodes are skipped with a note: they cannot be
// restored meaningfully.
class FilesTarWriter {
public:
    explicit FilesTarWriter(ByteSink *sink);

    void setExcludes(const QStringList &globs);
    void setLog(std::function<void(const QString &)> log) { m_log = std::move(log); }
    void setProgress(std::function<void(qint64 files, qint64 bytes)> progress) { m_progress = std::move(progress); }

    // Archives everything below rootDir (names relative to it); finishes the archive but not the sink.
    bool writeTree(const QString &rootDir, const std::atomic_bool *cancel = nullptr);

    const Error &error() const { return m_error; }
    qint64 fileCount() const { return m_files; }  // regular files
    qint64 totalBytes() const { return m_bytes; } // their content bytes
    qint64 dirCount() const { return m_dirs; }
    qint64 symlinkCount() const { return m_links; }
    qint64 hardlinkCount() const { return m_hardlinks; }        // extra names of files already stored
    qint64 externalSymlinks() const { return m_externalLinks; } // absolute or leaving the tree
    qint64 skipped() const { return m_skipped; }

    // One exclude pattern: a glob without "/" is about names anywhere in the tree ("*.tmp", "node_modules"), one
    // with "/" about the path from the root ("cache/*").
    struct Glob {
        QRegularExpression re;
        bool path = false;
    };
    // Whether a relative path (with "/") is excluded by one of the globs.
    static bool matches(const QList<Glob> &globs, const QString &relPath);
    static QList<Glob> compile(const QStringList &globs);

private:
    struct Archive;
    bool walk(Archive &a, const QString &absDir, const QString &relDir, const std::atomic_bool *cancel);
    bool addEntry(Archive &a, const QString &absPath, const QString &relPath);
    bool archiveFailed(Archive &a, const QString &what);

    ByteSink *m_sink;
    QList<Glob> m_excludes;
    std::function<void(const QString &)> m_log;
    std::function<void(qint64, qint64)> m_progress;
    Error m_error;
    qint64 m_files = 0;
    qint64 m_bytes = 0;
    qint64 m_dirs = 0;
    qint64 m_links = 0;
    qint64 m_externalLinks = 0;
    qint64 m_skipped = 0;
    qint64 m_hardlinks = 0;
    QHash<QPair<quint64, quint64>, QString> m_inodes; // (device, inode) → first name, for files with several names
};

} // namespace lifeboat
