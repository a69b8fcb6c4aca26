#include "restore/TarExtractor.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace lifeboat {

bool TarExtractor::isSafeMemberName(const QString &name) {
    if (name.isEmpty() || name.startsWith(QLatin1Char('/')) || name.startsWith(QLatin1Char('\\')) ||
        name.contains(QLatin1Char(':')) || name.contains(QChar(0)))
        return false;
    const QStringList parts = QString(name).replace(QLatin1Char('\\'), QLatin1Char('/')).split(QLatin1Char('/'));
    for (const QString &p : parts) {
        if (p == QLatin1String(".."))
            return false;
    }
    return true;
}

bool TarExtractor::extract(const QString &tarPath, const QString &destDir, const std::atomic_bool *cancel, Error *error,
                           qint64 *filesWritten) {
    auto fail = [&](ExitCode code, const QString &msg) {
        if (error)
            *error = {code, msg};
        return false;
    };
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), &archive_read_free);
    archive_read_support_format_tar(a.get());
    const QByteArray path = QFile::encodeName(tarPath);
    if (archive_read_open_filename(a.get(), path.constData(), 1 << 20) != ARCHIVE_OK)
        return fail(ExitCode::Integrity, QStringLiteral("cannot read %1 as a tar archive: %2")
                                             .arg(tarPath, QString::fromUtf8(archive_error_string(a.get()))));
    const QDir dest(destDir);
    qint64 files = 0;
    archive_entry *entry = nullptr;
    int rc;
    QByteArray buf(1 << 20, Qt::Uninitialized);
    while ((rc = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
        if (cancel && cancel->load())
            return fail(ExitCode::Cancelled, QStringLiteral("cancelled"));
        const char *rawName = archive_entry_pathname_utf8(entry);
        const QString name = QString::fromUtf8(rawName ? rawName : archive_entry_pathname(entry));
        if (!isSafeMemberName(name))
            return fail(ExitCode::Integrity,
                        QStringLiteral("the archive holds an unsafe member name \"%1\" (absolute or with \"..\"); "
                                       "refusing to unpack it")
                            .arg(name));
        const auto type = archive_entry_filetype(entry);
        const QString target = dest.filePath(name);
        if (type == AE_IFDIR) {
            if (!QDir().mkpath(target))
                return fail(ExitCode::Usage, QStringLiteral("cannot create %1").arg(target));
            continue;
        }
        if (type != AE_IFREG)
            return fail(ExitCode::Integrity,
                        QStringLiteral("the archive member \"%1\" is not a regular file (link or device); a pg_dump "
                                       "directory backup holds only files — refusing to unpack it")
                            .arg(name));
        QDir().mkpath(QFileInfo(target).absolutePath());
        QFile out(target);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(ExitCode::Usage, QStringLiteral("cannot write %1: %2").arg(target, out.errorString()));
        la_ssize_t n;
        while ((n = archive_read_data(a.get(), buf.data(), size_t(buf.size()))) > 0) {
            if (out.write(buf.constData(), n) != n)
                return fail(ExitCode::Usage, QStringLiteral("writing %1 failed: %2").arg(target, out.errorString()));
        }
        if (n < 0)
            return fail(ExitCode::Integrity, QStringLiteral("the tar archive is damaged at \"%1\": %2")
                                                 .arg(name, QString::fromUtf8(archive_error_string(a.get()))));
        ++files;
    }
    if (rc != ARCHIVE_EOF)
        return fail(ExitCode::Integrity, QStringLiteral("the tar archive is damaged or truncated: %1")
                                             .arg(QString::fromUtf8(archive_error_string(a.get()))));
    if (filesWritten)
        *filesWritten = files;
    return true;
}

} // namespace lifeboat
