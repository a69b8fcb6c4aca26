#include "files/FilesTarWriter.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

namespace lifeboat {

struct FilesTarWriter::Archive {
    struct archive *a = nullptr;
    ByteSink *sink = nullptr;
    QByteArray buf = QByteArray(1 << 20, Qt::Uninitialized);
    ~Archive() {
        if (a)
            archive_write_free(a);
    }
};

namespace {
la_ssize_t writeCb(struct archive *, void *client, const void *buf, size_t len) {
    auto *sink = static_cast<ByteSink *>(client);
    return sink->write(QByteArrayView(static_cast<const char *>(buf), static_cast<qsizetype>(len)))
               ? static_cast<la_ssize_t>(len)
               : -1;
}

// Whether a symlink's text, resolved lexically from the link's directory, stays inside the tree.
bool staysInside(const QString &linkRelDir, const QString &target) {
    if (target.startsWith(QLatin1Char('/')))
        return false;
    int depth = linkRelDir.isEmpty() ? 0 : int(linkRelDir.count(QLatin1Char('/'))) + 1;
    for (const QString &part : target.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        if (part == QLatin1String(".."))
            --depth;
        else if (part != QLatin1String("."))
            ++depth;
        if (depth < 0)
            return false;
    }
    return true;
}
} // namespace

FilesTarWriter::FilesTarWriter(ByteSink *sink)
    : m_sink(sink) {}

QList<FilesTarWriter::Glob> FilesTarWriter::compile(const QStringList &globs) {
    QList<Glob> out;
    for (const QString &g : globs) {
        if (g.isEmpty())
            continue;
        const QString re =
            QRegularExpression::wildcardToRegularExpression(g, QRegularExpression::UnanchoredWildcardConversion);
        out.append({QRegularExpression(QLatin1Char('^') + re + QLatin1Char('$')), g.contains(QLatin1Char('/'))});
    }
    return out;
}

bool FilesTarWriter::matches(const QList<Glob> &globs, const QString &relPath) {
    const QString name = relPath.section(QLatin1Char('/'), -1);
    for (const Glob &g : globs) {
        if (g.re.match(g.path ? relPath : name).hasMatch())
            return true;
    }
    return false;
}

void FilesTarWriter::setExcludes(const QStringList &globs) {
    m_excludes = compile(globs);
}

bool FilesTarWriter::archiveFailed(Archive &a, const QString &what) {
    // A sink failure (disk full, S3 error) says more than libarchive's "write callback failed".
    if (m_sink->error())
        m_error = m_sink->error();
    else
        m_error = {ExitCode::Transfer,
                   QStringLiteral("tar: %1: %2").arg(what, QString::fromUtf8(archive_error_string(a.a)))};
    return false;
}

bool FilesTarWriter::writeTree(const QString &rootDir, const std::atomic_bool *cancel) {
    const QFileInfo rootInfo(rootDir);
    if (!rootInfo.isDir()) {
        m_error = {ExitCode::Usage, QStringLiteral("%1 is not a directory").arg(rootDir)};
        return false;
    }
    if (!rootInfo.isReadable() || !rootInfo.isExecutable()) {
        m_error = {ExitCode::Usage, QStringLiteral("%1 cannot be read (permissions)").arg(rootDir)};
        return false;
    }
    Archive a;
    a.sink = m_sink;
    a.a = archive_write_new();
    // Full pax (not pax_restricted): every entry carries its sub-second mtime and UTF-8 name.
    archive_write_set_format_pax(a.a);
    archive_write_set_bytes_per_block(a.a, 64 * 1024);
    if (archive_write_open2(a.a, m_sink, nullptr, writeCb, nullptr, nullptr) != ARCHIVE_OK)
        return archiveFailed(a, QStringLiteral("open"));
    if (!walk(a, rootInfo.absoluteFilePath(), QString(), cancel))
        return false;
    if (archive_write_close(a.a) != ARCHIVE_OK)
        return archiveFailed(a, QStringLiteral("close"));
    return true;
}

bool FilesTarWriter::walk(Archive &a, const QString &absDir, const QString &relDir, const std::atomic_bool *cancel) {
    QDir dir(absDir);
    const QStringList names =
        dir.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
    if (names.isEmpty() && !QFileInfo(absDir).isReadable()) {
        m_error = {ExitCode::Usage, QStringLiteral("cannot read the directory %1 (permissions)").arg(absDir)};
        return false;
    }
    for (const QString &name : names) {
        if (cancel && cancel->load()) {
            m_error = {ExitCode::Cancelled, QStringLiteral("cancelled")};
            return false;
        }
        const QString rel = relDir.isEmpty() ? name : relDir + QLatin1Char('/') + name;
        if (matches(m_excludes, rel))
            continue;
        const QString abs = absDir + QLatin1Char('/') + name;
        if (!addEntry(a, abs, rel))
            return false;
        struct stat st {};
        if (::lstat(QFile::encodeName(abs).constData(), &st) == 0 && S_ISDIR(st.st_mode)) {
            if (!walk(a, abs, rel, cancel))
                return false;
        }
    }
    return true;
}

bool FilesTarWriter::addEntry(Archive &a, const QString &absPath, const QString &relPath) {
    const QByteArray native = QFile::encodeName(absPath);
    struct stat st {};
    if (::lstat(native.constData(), &st) != 0) {
        // Gone since the listing (a live upload directory): not an error, the next run will see it.
        if (m_log)
            m_log(QStringLiteral("note: %1 vanished while backing up; skipped").arg(relPath));
        return true;
    }
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
        ++m_skipped;
        if (m_log)
            m_log(QStringLiteral("note: %1 is a socket, FIFO or device node; skipped").arg(relPath));
        return true;
    }
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), archive_entry_free);
    archive_entry_copy_stat(e.get(), &st);
    archive_entry_set_pathname_utf8(e.get(), relPath.toUtf8().constData());
    if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
        // A second name of a file already stored becomes a hard-link entry (no data), restored as a link again.
        const auto key = qMakePair(quint64(st.st_dev), quint64(st.st_ino));
        const auto first = m_inodes.constFind(key);
        if (first != m_inodes.constEnd()) {
            archive_entry_set_hardlink_utf8(e.get(), first->toUtf8().constData());
            archive_entry_set_size(e.get(), 0);
            if (archive_write_header(a.a, e.get()) < ARCHIVE_WARN)
                return archiveFailed(a, relPath);
            ++m_hardlinks;
            return true;
        }
        m_inodes.insert(key, relPath);
    }
    if (S_ISLNK(st.st_mode)) {
        QByteArray target(PATH_MAX, Qt::Uninitialized);
        const ssize_t n = ::readlink(native.constData(), target.data(), size_t(target.size()));
        if (n < 0) {
            m_error = {ExitCode::Usage, QStringLiteral("cannot read the symlink %1").arg(absPath)};
            return false;
        }
        target.truncate(n);
        archive_entry_set_symlink_utf8(e.get(), QFile::decodeName(target).toUtf8().constData());
        archive_entry_set_size(e.get(), 0);
        ++m_links;
        if (!staysInside(relPath.section(QLatin1Char('/'), 0, -2), QFile::decodeName(target)))
            ++m_externalLinks;
    } else if (S_ISDIR(st.st_mode)) {
        archive_entry_set_size(e.get(), 0);
        ++m_dirs;
    }
    QFile f(absPath);
    if (S_ISREG(st.st_mode) && !f.open(QIODevice::ReadOnly)) {
        m_error = {ExitCode::Usage, QStringLiteral("cannot read %1: %2").arg(absPath, f.errorString())};
        return false;
    }
    if (archive_write_header(a.a, e.get()) < ARCHIVE_WARN)
        return archiveFailed(a, relPath);
    if (!S_ISREG(st.st_mode))
        return true;
    // The header promised st_size bytes: a file that grows is cut there, one that shrinks is padded by libarchive.
    qint64 left = st.st_size;
    while (left > 0) {
        const qint64 n = f.read(a.buf.data(), qMin<qint64>(left, a.buf.size()));
        if (n < 0) {
            m_error = {ExitCode::Usage, QStringLiteral("reading %1 failed: %2").arg(absPath, f.errorString())};
            return false;
        }
        if (n == 0)
            break;
        if (archive_write_data(a.a, a.buf.constData(), size_t(n)) < 0)
            return archiveFailed(a, relPath);
        left -= n;
        m_bytes += n;
        if (m_progress)
            m_progress(m_files, m_bytes);
    }
    if (left > 0) {
        m_bytes += left; // libarchive pads the entry with zeros to the size in its header
        if (m_log)
            m_log(QStringLiteral("note: %1 shrank while it was read; the rest is stored as zeros").arg(relPath));
    }
    ++m_files;
    return true;
}

} // namespace lifeboat
