#include "pipeline/TarWriter.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

namespace lifeboat {

namespace {
struct Ctx {
    ByteSink *sink;
};

la_ssize_t writeCb(struct archive *, void *client, const void *buf, size_t len) {
    auto *ctx = static_cast<Ctx *>(client);
    return ctx->sink->write(QByteArrayView(static_cast<const char *>(buf), static_cast<qsizetype>(len)))
               ? static_cast<la_ssize_t>(len)
               : -1;
}

struct ArchiveFree {
    void operator()(struct archive *a) const { archive_write_free(a); }
};
} // namespace

TarWriter::TarWriter(ByteSink *sink)
    : m_sink(sink) {}

bool TarWriter::writeTree(const QString &rootDir, const QString &prefix, const std::atomic_bool *cancel) {
    std::unique_ptr<struct archive, ArchiveFree> a(archive_write_new());
    archive_write_set_format_pax_restricted(a.get());
    archive_write_set_bytes_per_block(a.get(), 64 * 1024);
    Ctx ctx{m_sink};
    if (archive_write_open2(a.get(), &ctx, nullptr, writeCb, nullptr, nullptr) != ARCHIVE_OK) {
        m_error = {ExitCode::PgTool, QStringLiteral("tar: %1").arg(QString::fromUtf8(archive_error_string(a.get())))};
        return false;
    }
    const QString root = QFileInfo(rootDir).absoluteFilePath();
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    QStringList paths;
    while (it.hasNext())
        paths << it.next();
    paths.sort(); // deterministic order: the same tree gives the same archive
    QByteArray buf(256 * 1024, Qt::Uninitialized);
    for (const QString &path : std::as_const(paths)) {
        if (cancel && cancel->load()) {
            m_error = {ExitCode::Cancelled, QStringLiteral("cancelled")};
            return false;
        }
        const QFileInfo fi(path);
        struct stat st {};
        if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
            continue;
        const QString rel = prefix + path.mid(root.size() + 1);
        std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), archive_entry_free);
        archive_entry_copy_stat(e.get(), &st);
        archive_entry_set_pathname_utf8(e.get(), rel.toUtf8().constData());
        if (fi.isSymLink()) {
            archive_entry_set_symlink_utf8(e.get(), fi.symLinkTarget().toUtf8().constData());
            archive_entry_set_size(e.get(), 0);
        }
        if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK) {
            m_error = {m_sink->error() ? m_sink->error().code : ExitCode::PgTool,
                       m_sink->error()
                           ? m_sink->error().message
                           : QStringLiteral("tar: %1").arg(QString::fromUtf8(archive_error_string(a.get())))};
            return false;
        }
        if (S_ISREG(st.st_mode)) {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly)) {
                m_error = {ExitCode::PgTool, QStringLiteral("tar: cannot read %1: %2").arg(path, f.errorString())};
                return false;
            }
            qint64 n;
            while ((n = f.read(buf.data(), buf.size())) > 0) {
                if (archive_write_data(a.get(), buf.constData(), static_cast<size_t>(n)) < 0) {
                    m_error = {m_sink->error() ? m_sink->error().code : ExitCode::PgTool,
                               m_sink->error() ? m_sink->error().message
                                               : QString::fromUtf8(archive_error_string(a.get()))};
                    return false;
                }
            }
        }
        ++m_files;
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) {
        m_error = {m_sink->error() ? m_sink->error().code : ExitCode::PgTool,
                   m_sink->error() ? m_sink->error().message : QString::fromUtf8(archive_error_string(a.get()))};
        return false;
    }
    return true;
}

} // namespace lifeboat
