#include "core/ScratchSweeper.h"

#include "core/ProcessIdentity.h"
#include "core/ScratchName.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#ifdef Q_OS_UNIX
#include <csignal>
#include <unistd.h>
#endif

namespace lifeboat {

namespace {

bool waitGone(qint64 pid, int ms) {
    QDeadlineTimer deadline(ms);
    while (ProcessIdentity::isRunning(pid)) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(50);
    }
    return true;
}

QString describeKind(const QString &kind) {
    if (kind == QLatin1String("pgpass"))
        return QStringLiteral("password file");
    if (kind == QLatin1String("restore"))
        return QStringLiteral("restore scratch directory");
    if (kind == QLatin1String("dump"))
        return QStringLiteral("dump scratch directory");
    if (kind == QLatin1String("sandbox"))
        return QStringLiteral("sandbox cluster");
    if (kind == QLatin1String("files"))
        return QStringLiteral("files restore scratch directory");
    return QStringLiteral("scratch entry");
}

} // namespace

bool ScratchSweeper::stopPostmaster(const QString &dataDir, qint64 *stoppedPid, QString *why) {
    *stoppedPid = 0;
    QFile pidFile(dataDir + QStringLiteral("/postmaster.pid"));
    if (!pidFile.open(QIODevice::ReadOnly))
        return true; // no server was started here, or it shut down cleanly
    const qint64 pid = pidFile.readLine().trimmed().toLongLong();
    if (pid <= 0 || !ProcessIdentity::isRunning(pid))
        return true;
#ifdef Q_OS_LINUX
    // postgres chdirs into its data directory: a pid that works elsewhere was recycled and is none of ours.
    const QString cwd = QFileInfo(QStringLiteral("/proc/%1/cwd").arg(pid)).symLinkTarget();
    const QString data = QFileInfo(dataDir).canonicalFilePath();
    if (cwd.isEmpty() || data.isEmpty() || QFileInfo(cwd).canonicalFilePath() != data)
        return true;
    ::kill(static_cast<pid_t>(pid), SIGQUIT); // immediate shutdown: the data is throwaway
    if (!waitGone(pid, 10000)) {
        ::kill(static_cast<pid_t>(pid), SIGKILL);
        if (!waitGone(pid, 5000)) {
            *why = QStringLiteral("the postmaster (pid %1) does not stop").arg(pid);
            return false;
        }
    }
    *stoppedPid = pid;
    return true;
#else
    // Without /proc the pid can't be tied to this directory: never signal a process that may not be ours.
    *why =
        QStringLiteral("a process with the postmaster's pid %1 still runs; stop it and remove the directory").arg(pid);
    return false;
#endif
}

QList<ScratchSweeper::Item> ScratchSweeper::sweep(const QString &dirPath) {
    QList<Item> items;
    const QDir dir(dirPath.isEmpty() ? QDir::tempPath() : dirPath);
    const QString host = ProcessIdentity::hostTag();
#ifdef Q_OS_UNIX
    const uint me = ::geteuid();
#endif
    const QStringList names = dir.entryList({QStringLiteral("lifeboat-*")}, QDir::Files | QDir::Dirs | QDir::Hidden |
                                                                                QDir::System | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        const auto owner = ScratchName::parse(name);
        if (!owner || owner->hostTag != host || ProcessIdentity::isRunning(owner->pid, owner->startTicks))
            continue;
        const QString path = dir.filePath(name);
        const QFileInfo info(path);
        if (info.isSymLink())
            continue; // never ours: every scratch entry is a plain file or directory
#ifdef Q_OS_UNIX
        if (me != 0 && info.ownerId() != me)
            continue;
#endif
        Item item;
        item.path = path;
        item.what = QStringLiteral("%1 of pid %2 (gone)").arg(describeKind(owner->kind)).arg(owner->pid);
        if (info.isDir()) {
            qint64 stopped = 0;
            QString why;
            if (!stopPostmaster(path + QStringLiteral("/data"), &stopped, &why)) {
                item.problem = why;
                items << item;
                continue;
            }
            if (stopped)
                item.what += QStringLiteral("; its postmaster (pid %1) was stopped").arg(stopped);
            item.removed = QDir(path).removeRecursively();
        } else {
            item.removed = QFile::remove(path);
        }
        if (!item.removed)
            item.problem = QStringLiteral("cannot remove it (check its permissions)");
        items << item;
    }
    return items;
}

} // namespace lifeboat
