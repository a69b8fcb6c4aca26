#include "pipeline/AtomicFileSink.h"

#include <QDir>
#include <QFileInfo>

#include <cerrno>
#include <cstring>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

namespace lifeboat {

AtomicFileSink::AtomicFileSink(QString finalPath, Mode mode)
    : m_finalPath(std::move(finalPath))
    , m_mode(mode) {}

AtomicFileSink::~AtomicFileSink() {
    if (!m_done)
        abort();
}

bool AtomicFileSink::open() {
    if (QFileInfo::exists(m_finalPath))
        return fail(ExitCode::Usage, QStringLiteral("%1 already exists; refusing to overwrite it").arg(m_finalPath));
    m_file.setFileName(partialPath());
    const bool existed = QFileInfo::exists(partialPath());
    // A fresh write never shares a partial file with another writer: NewOnly fails if one is there already.
    QIODevice::OpenMode flags = QIODevice::WriteOnly;
    flags |= m_mode == Mode::Append ? QIODevice::Append : QIODevice::NewOnly;
    if (!(m_permissions ? m_file.open(flags, *m_permissions) : m_file.open(flags))) {
        if (m_mode == Mode::Truncate && existed)
            return fail(ExitCode::Usage, QStringLiteral("%1 already exists: another transfer is writing it, or an "
                                                        "interrupted one left it behind — remove it if nothing is "
                                                        "running")
                                             .arg(partialPath()));
        return fail(ExitCode::Usage, QStringLiteral("cannot write %1: %2 — check that the directory exists and is "
                                                    "writable")
                                         .arg(partialPath(), m_file.errorString()));
    }
    m_owned = true;
    m_existing = m_mode == Mode::Append ? m_file.size() : 0;
    return true;
}

bool AtomicFileSink::write(QByteArrayView data) {
    if (error())
        return false;
    const char *p = data.data();
    qint64 left = data.size();
    while (left > 0) {
        const qint64 n = m_file.write(p, left);
        if (n <= 0) {
            const QString why = m_file.errorString();
            abort();
            return fail(ExitCode::PgTool, QStringLiteral("writing %1 failed: %2").arg(partialPath(), why));
        }
        p += n;
        left -= n;
    }
    return true;
}

bool AtomicFileSink::finish() {
    if (error())
        return false;
    if (!m_file.flush()) {
        const QString why = m_file.errorString();
        abort();
        return fail(ExitCode::PgTool, QStringLiteral("writing %1 failed: %2").arg(partialPath(), why));
    }
#ifdef Q_OS_UNIX
    if (m_durable && ::fsync(m_file.handle()) != 0) {
        abort();
        return fail(ExitCode::PgTool, QStringLiteral("fsync of %1 failed").arg(partialPath()));
    }
#endif
    m_file.close();
    if (QFileInfo::exists(m_finalPath) || !QFile::rename(partialPath(), m_finalPath)) {
        abort();
        return fail(ExitCode::Usage, QStringLiteral("cannot rename %1 to %2").arg(partialPath(), m_finalPath));
    }
    QString why;
    if (m_durable && !syncDirectory(QFileInfo(m_finalPath).absolutePath(), &why)) {
        // The rename may not survive a power cut, and the caller will treat this as a failure: keep nothing
        // under the final name that a failed run would leave unaccounted for.
        QFile::remove(m_finalPath);
        m_done = true;
        return fail(ExitCode::PgTool, QStringLiteral("%1 was not kept: %2").arg(m_finalPath, why));
    }
    m_done = true;
    m_committed = true;
    return true;
}

void AtomicFileSink::abort() {
    if (m_done)
        return;
    m_done = true;
    if (m_file.isOpen())
        m_file.close();
    if (m_owned) // never another writer's partial: only one this sink opened
        QFile::remove(partialPath());
}

void AtomicFileSink::keepPartial() {
    if (m_done)
        return;
    m_done = true;
    if (m_file.isOpen()) {
        m_file.flush();
        m_file.close();
    }
}

bool AtomicFileSink::syncDirectory(const QString &dirPath, QString *why) {
#ifdef Q_OS_UNIX
    const int fd = ::open(QFile::encodeName(dirPath).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        if (why)
            *why = QStringLiteral("cannot open the directory %1 to make its entries durable: %2")
                       .arg(dirPath, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    const bool ok = ::fsync(fd) == 0;
    const int fsyncErrno = errno;
    ::close(fd);
    if (!ok && why)
        *why = QStringLiteral("fsync of the directory %1 failed: %2")
                   .arg(dirPath, QString::fromLocal8Bit(std::strerror(fsyncErrno)));
    return ok;
#else
    Q_UNUSED(dirPath)
    Q_UNUSED(why)
    return true;
#endif
}

bool AtomicFileSink::makeDirectories(const QString &dirPath, QString *why) {
    const QString path = QDir::cleanPath(QFileInfo(dirPath).absoluteFilePath());
    // Find the deepest existing ancestor, then create downwards, syncing each parent after its new entry.
    QStringList missing;
    QString existing = path;
    while (!QFileInfo(existing).exists()) {
        missing.prepend(QFileInfo(existing).fileName());
        const QString parent = QFileInfo(existing).absolutePath();
        if (parent == existing)
            break;
        existing = parent;
    }
    if (!QFileInfo(existing).isDir()) {
        if (why)
            *why = QStringLiteral("%1 is not a directory").arg(existing);
        return false;
    }
    QString current = existing;
    for (const QString &name : std::as_const(missing)) {
        const QString next = QDir(current).filePath(name);
        // Another process may create the same directory at the same moment: that is not a failure.
        if (!QDir(current).mkdir(name) && !QFileInfo(next).isDir()) {
            if (why)
                *why = QStringLiteral("cannot create the directory %1").arg(next);
            return false;
        }
        if (!syncDirectory(current, why))
            return false;
        current = next;
    }
    return true;
}

} // namespace lifeboat
