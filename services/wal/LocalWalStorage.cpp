#include "wal/LocalWalStorage.h"

#include "pipeline/AtomicFileSink.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace lifeboat {

namespace {
const char *kXattr = "user.lifeboat.plain_sha256";
const QString kTmpMarker = QStringLiteral(".lifeboat-tmp-");
const QString kSidecar = QStringLiteral(".lifeboat-sha256");

QString errnoText() {
    return QString::fromLocal8Bit(std::strerror(errno));
}
} // namespace

LocalWalStorage::LocalWalStorage(QString name, QString rootDir)
    : m_name(std::move(name))
    , m_root(std::move(rootDir)) {}

QString LocalWalStorage::location(const QString &relativePath) const {
    return QDir(m_root).filePath(relativePath);
}

bool LocalWalStorage::isTemporaryName(const QString &fileName) {
    return fileName.contains(kTmpMarker);
}

bool LocalWalStorage::isSidecarName(const QString &fileName) {
    return fileName.endsWith(kSidecar);
}

WalStorage::Put LocalWalStorage::writeFile(const QString &path, const QByteArray &bytes, bool replace, Error *error,
                                           const QString &plainSha256) {
    auto failed = [&](ExitCode code, const QString &message) {
        if (error)
            *error = {code, message};
        return Put::Failed;
    };
    const QString dir = QFileInfo(path).absolutePath();
    QString why;
    if (!AtomicFileSink::makeDirectories(dir, &why))
        return failed(ExitCode::Transfer, QStringLiteral("cannot create the directory %1: %2").arg(dir, why));
    if (!replace && QFileInfo::exists(path))
        return Put::Exists;
    // A name of its own per writer: a stale temporary file of a killed run never blocks the next one.
    const QString tmp = path + kTmpMarker + QString::number(::getpid()) + QLatin1Char('-') +
                        QString::number(QRandomGenerator::global()->generate(), 16);
    const QByteArray tmpName = QFile::encodeName(tmp);
    const int fd = ::open(tmpName.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0)
        return failed(ExitCode::Transfer, QStringLiteral("cannot write %1: %2").arg(tmp, errnoText()));
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, static_cast<size_t>(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const QString text = errnoText();
            ::close(fd);
            ::unlink(tmpName.constData());
            return failed(ExitCode::Transfer, QStringLiteral("writing %1 failed: %2").arg(tmp, text));
        }
        done += n;
    }
    // On the temporary inode, so the checksum arrives together with the name (a later setxattr could be lost to a
    // kill, leaving an encrypted object no push can compare with).
    bool sidecar = false;
    if (!plainSha256.isEmpty()) {
        const QByteArray value = plainSha256.toLatin1();
        sidecar = ::fsetxattr(fd, kXattr, value.constData(), static_cast<size_t>(value.size()), 0) != 0;
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const QString text = errnoText();
        ::unlink(tmpName.constData());
        return failed(ExitCode::Transfer, QStringLiteral("fsync of %1 failed: %2").arg(tmp, text));
    }
    if (sidecar) {
        // No user attributes here: the sidecar goes first, so the object never exists without it.
        Error e;
        if (writeFile(path + kSidecar, plainSha256.toLatin1(), /*replace=*/true, &e) == Put::Failed) {
            ::unlink(tmpName.constData());
            return failed(e.code, QStringLiteral("this file system keeps no extended attributes and the checksum "
                                                 "file could not be written: %1")
                                      .arg(e.message));
        }
    }
    const QByteArray finalName = QFile::encodeName(path);
    Put result = Put::Stored;
    if (replace) {
        if (::rename(tmpName.constData(), finalName.constData()) != 0) {
            const QString text = errnoText();
            ::unlink(tmpName.constData());
            return failed(ExitCode::Transfer, QStringLiteral("cannot rename %1 to %2: %3").arg(tmp, path, text));
        }
    } else {
        if (::link(tmpName.constData(), finalName.constData()) != 0) {
            const int e = errno;
            ::unlink(tmpName.constData());
            if (e == EEXIST)
                return Put::Exists;
            errno = e;
            return failed(ExitCode::Transfer, QStringLiteral("cannot create %1: %2").arg(path, errnoText()));
        }
        ::unlink(tmpName.constData());
    }
    if (!AtomicFileSink::syncDirectory(dir, &why)) {
        // The new name may not survive a power cut: the caller treats this as a failure and must not count on it.
        return failed(ExitCode::Transfer, QStringLiteral("%1 may not be durable: %2").arg(path, why));
    }
    return result;
}

WalStorage::Put LocalWalStorage::put(const QString &relativePath, const QByteArray &bytes, const QString &plainSha256,
                                     bool replace, Error *error) {
    const QString path = location(relativePath);
    Error e;
    const Put r = writeFile(path, bytes, replace, &e, plainSha256);
    if (r == Put::Failed && error)
        *error = {e.code, QStringLiteral("storage \"%1\": %2").arg(m_name, e.message)};
    return r;
}

Error LocalWalStorage::get(const QString &relativePath, QByteArray *out, bool *found) {
    QFile f(location(relativePath));
    *found = false;
    if (!f.exists())
        return {};
    if (!f.open(QIODevice::ReadOnly))
        return {ExitCode::Transfer,
                QStringLiteral("storage \"%1\": cannot read %2: %3").arg(m_name, f.fileName(), f.errorString())};
    *out = f.readAll();
    if (f.error() != QFile::NoError)
        return {ExitCode::Transfer,
                QStringLiteral("storage \"%1\": reading %2 failed: %3").arg(m_name, f.fileName(), f.errorString())};
    *found = true;
    return {};
}

Error LocalWalStorage::stat(const QString &relativePath, Object *out, bool *found) {
    const QString path = location(relativePath);
    const QFileInfo info(path);
    *found = info.isFile();
    if (!*found)
        return {};
    out->relativePath = relativePath;
    out->size = info.size();
    out->modified = info.lastModified().toUTC();
    char value[80] = {};
    const ssize_t n = ::getxattr(QFile::encodeName(path).constData(), kXattr, value, sizeof(value) - 1);
    out->plainSha256 = n > 0 ? QString::fromLatin1(value, n) : QString();
    if (out->plainSha256.isEmpty()) {
        QFile sidecar(path + kSidecar);
        if (sidecar.open(QIODevice::ReadOnly))
            out->plainSha256 = QString::fromLatin1(sidecar.read(80).trimmed());
    }
    return {};
}

Error LocalWalStorage::list(const QString &prefix, QList<Object> *out) {
    const QString base = QDir(m_root).filePath(prefix);
    const QFileInfo baseInfo(base);
    // The prefix is a directory (wal/<profile>/) or the start of a name in one.
    const QString dir = prefix.endsWith(QLatin1Char('/')) ? base : baseInfo.absolutePath();
    if (!QFileInfo(dir).isDir())
        return {};
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    const QString rootPrefix = QDir(m_root).absolutePath() + QLatin1Char('/');
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        if (isTemporaryName(info.fileName()) || isSidecarName(info.fileName()))
            continue;
        const QString rel = info.absoluteFilePath().mid(rootPrefix.size());
        if (!rel.startsWith(prefix))
            continue;
        out->append({rel, info.size(), info.lastModified().toUTC(), {}});
    }
    return {};
}

Error LocalWalStorage::remove(const QString &relativePath) {
    const QString path = location(relativePath);
    if (!QFile::exists(path) || QFile::remove(path)) {
        QFile::remove(path + kSidecar);
        return {};
    }
    return {ExitCode::Transfer, QStringLiteral("storage \"%1\": cannot remove %2").arg(m_name, path)};
}

} // namespace lifeboat
