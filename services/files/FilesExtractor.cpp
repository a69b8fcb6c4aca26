#include "files/FilesExtractor.h"

#include "files/AutoDecompressStage.h"
#include "files/StreamPipe.h"
#include "restore/RestoreSource.h"
#include "restore/TarExtractor.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <memory>
#include <thread>

namespace lifeboat {

namespace {
struct ReadCtx {
    StreamPipe *pipe = nullptr;
    QByteArray chunk;
    qint64 total = 0;
    bool writerFailed = false;
    std::function<void(qint64)> progress;
};

la_ssize_t readCb(struct archive *a, void *client, const void **buf) {
    auto *ctx = static_cast<ReadCtx *>(client);
    bool failed = false;
    ctx->chunk = ctx->pipe->take(&failed);
    if (failed) {
        ctx->writerFailed = true;
        archive_set_error(a, EIO, "the source stream failed");
        return -1;
    }
    *buf = ctx->chunk.constData();
    ctx->total += ctx->chunk.size();
    if (ctx->progress)
        ctx->progress(ctx->total);
    return ctx->chunk.size();
}

QString archiveError(struct archive *a) {
    const char *s = archive_error_string(a);
    return s ? QString::fromUtf8(s) : QStringLiteral("unknown error");
}

QString memberName(archive_entry *e) {
    const char *utf8 = archive_entry_pathname_utf8(e);
    QString name = utf8 ? QString::fromUtf8(utf8) : QFile::decodeName(archive_entry_pathname(e));
    while (name.startsWith(QLatin1String("./")))
        name.remove(0, 2);
    while (name.endsWith(QLatin1Char('/')))
        name.chop(1);
    return name;
}
} // namespace

FilesExtractor::FilesExtractor(Options options)
    : m_opt(std::move(options)) {}

bool FilesExtractor::fail(ExitCode code, const QString &message) {
    if (!m_error)
        m_error = {code, message};
    return false;
}

bool FilesExtractor::linkStaysInside(const QString &relPath, const QString &target) {
    if (target.isEmpty() || target.startsWith(QLatin1Char('/')))
        return false;
    // Depth of the directory holding the link, then walk the target's components from there.
    int depth = int(relPath.count(QLatin1Char('/')));
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

bool FilesExtractor::run(StreamPipe *pipe) {
    struct Closer {
        StreamPipe *p;
        ~Closer() { p->closeReader(); }
    } closer{pipe};
    std::unique_ptr<archive, decltype(&archive_read_free)> in(archive_read_new(), &archive_read_free);
    archive_read_support_format_tar(in.get());
    // Decompression happened before the pipe (AutoDecompressStage), with its checksums verified.
    ReadCtx ctx;
    ctx.pipe = pipe;
    ctx.progress = m_opt.progress;
    if (archive_read_open(in.get(), &ctx, nullptr, readCb, nullptr) != ARCHIVE_OK)
        return fail(ctx.writerFailed ? ExitCode::Transfer : ExitCode::Integrity,
                    QStringLiteral("cannot read the archive: %1").arg(archiveError(in.get())));

    const bool extracting = !m_opt.destDir.isEmpty();
    QString root;
    std::unique_ptr<archive, decltype(&archive_write_free)> out(nullptr, &archive_write_free);
    if (extracting) {
        root = QFileInfo(m_opt.destDir).canonicalFilePath(); // symlinks in the destination's own path resolved
        if (root.isEmpty())
            return fail(ExitCode::Usage, QStringLiteral("the target directory %1 does not exist").arg(m_opt.destDir));
        out.reset(archive_write_disk_new());
        archive_write_disk_set_options(out.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
                                                      ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                      ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SPARSE);
        archive_write_disk_set_standard_lookup(out.get());
    }

    archive_entry *entry = nullptr;
    int rc;
    while ((rc = archive_read_next_header(in.get(), &entry)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
        if (m_opt.cancel && m_opt.cancel->load())
            return fail(ExitCode::Cancelled, QStringLiteral("cancelled"));
        const QString name = memberName(entry);
        if (name.isEmpty() || name == QLatin1String("."))
            continue; // the root itself
        if (!TarExtractor::isSafeMemberName(name))
            return fail(ExitCode::Refused, QStringLiteral("the archive holds an unsafe member \"%1\" (absolute or with "
                                                          "\"..\"); refusing to unpack it")
                                               .arg(name));
        const char *hard = archive_entry_hardlink_utf8(entry);
        const QString hardTarget = hard ? QString::fromUtf8(hard) : QString();
        if (hard && !TarExtractor::isSafeMemberName(hardTarget))
            return fail(ExitCode::Refused, QStringLiteral("the archive member \"%1\" is a hard link to \"%2\", outside "
                                                          "the target; refusing to unpack it")
                                               .arg(name, hardTarget));
        const auto type = archive_entry_filetype(entry);
        if (type == AE_IFLNK) {
            const char *t = archive_entry_symlink_utf8(entry);
            const QString target = t ? QString::fromUtf8(t) : QString();
            if (!m_opt.allowExternalSymlinks && !linkStaysInside(name, target))
                return fail(ExitCode::Refused,
                            QStringLiteral("the archive member \"%1\" is a symlink to \"%2\", which points outside the "
                                           "restored tree; refusing it (pass --allow-external-links to restore such "
                                           "links — nothing is ever written through them)")
                                .arg(name, target));
            ++m_result.symlinkCount;
        } else if (type == AE_IFDIR) {
            ++m_result.dirCount;
        } else if (type == AE_IFREG) {
            if (!hard) {
                ++m_result.fileCount;
                m_result.totalBytes += archive_entry_size(entry);
            }
        } else if (!hard) {
            if (m_opt.log)
                m_opt.log(QStringLiteral("note: %1 is a device node or FIFO; not restored").arg(name));
            continue;
        }

        if (extracting) {
            const QByteArray abs = QFile::encodeName(root + QLatin1Char('/') + name);
            archive_entry_copy_pathname(entry, abs.constData());
            if (hard)
                archive_entry_copy_hardlink(entry, QFile::encodeName(root + QLatin1Char('/') + hardTarget).constData());
            if (type == AE_IFLNK) { // raw bytes: independent of the process locale
                const QByteArray linkText(archive_entry_symlink_utf8(entry));
                archive_entry_copy_symlink(entry, linkText.constData());
            }
            if (archive_write_header(out.get(), entry) < ARCHIVE_WARN)
                return fail(ExitCode::Refused,
                            QStringLiteral("cannot restore \"%1\": %2").arg(name, archiveError(out.get())));
        }
        const void *block = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        int r;
        while ((r = archive_read_data_block(in.get(), &block, &size, &offset)) == ARCHIVE_OK) {
            if (extracting && archive_write_data_block(out.get(), block, size, offset) < ARCHIVE_WARN)
                return fail(ExitCode::Usage,
                            QStringLiteral("writing \"%1\" failed: %2").arg(name, archiveError(out.get())));
        }
        if (r != ARCHIVE_EOF)
            return fail(ctx.writerFailed ? ExitCode::Transfer : ExitCode::Integrity,
                        QStringLiteral("the archive is damaged at \"%1\": %2").arg(name, archiveError(in.get())));
        if (extracting && archive_write_finish_entry(out.get()) < ARCHIVE_WARN)
            return fail(ExitCode::Usage,
                        QStringLiteral("finishing \"%1\" failed: %2").arg(name, archiveError(out.get())));
    }
    if (rc != ARCHIVE_EOF)
        return fail(ctx.writerFailed ? ExitCode::Transfer : ExitCode::Integrity,
                    QStringLiteral("the archive is damaged or truncated: %1").arg(archiveError(in.get())));
    // Directory permissions and mtimes are applied here, after their contents were written.
    if (extracting && archive_write_close(out.get()) != ARCHIVE_OK)
        return fail(
            ExitCode::Usage,
            QStringLiteral("restoring directory times and permissions failed: %1").arg(archiveError(out.get())));
    // Read what follows the end-of-archive blocks (padding) so the writer side finishes normally.
    bool failed = false;
    while (!pipe->take(&failed).isEmpty()) {
    }
    if (failed)
        return fail(ExitCode::Transfer, QStringLiteral("the source stream failed"));
    return true;
}

bool FilesExtractor::runFrom(RestoreSource &source) {
    StreamPipe pipe;
    bool ok = false;
    std::thread reader([&] { ok = run(&pipe); });
    AutoDecompressStage decompress(&pipe);
    Error streamError;
    bool streamed = source.streamPlain(&decompress, &streamError);
    if (streamed && !decompress.finish()) { // a bad gzip CRC or zstd checksum shows here, at the very end
        streamed = false;
        streamError = decompress.error();
    }
    if (!streamed)
        pipe.abort();
    reader.join();
    if (!streamed) {
        // The reader's own failure (unsafe member, damaged archive) stopped the stream: report that.
        if (m_error && m_error.code != ExitCode::Transfer)
            return false;
        m_error = streamError;
        return false;
    }
    return ok;
}

} // namespace lifeboat
