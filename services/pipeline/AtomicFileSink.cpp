#include "pipeline/AtomicFileSink.h"

#include <QDir>
#include <QFileInfo>

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
    if (!m_file.open(flags)) {
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
    if (m_durable)
        syncDirectory(QFileInfo(m_finalPath).absolutePath());
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

bool AtomicFileSink::syncDirectory(const QString &dirPath) {
#ifdef Q_OS_UNIX
    const int fd = ::open(QFile::encodeName(dirPath).constData(), O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
#else
    Q_UNUSED(dirPath)
    return true;
#endif
}

} // namespace lifeboat
