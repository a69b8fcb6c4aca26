#include "core/ProcessIdentity.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QSysInfo>

#include <cerrno>

#ifdef Q_OS_UNIX
#include <csignal>
#include <unistd.h>
#endif

namespace lifeboat {

namespace {

#ifdef Q_OS_LINUX
// Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses, so count after the last ')'.
QList<QByteArray> statFields(qint64 pid) {
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray s = f.readAll();
    const qsizetype close = s.lastIndexOf(')');
    if (close < 0)
        return {};
    return s.mid(close + 2).split(' '); // [0] is field 3 (state)
}

quint64 readStartTicks(qint64 pid) {
    const QList<QByteArray> rest = statFields(pid);
    return rest.size() > 19 ? rest.at(19).toULongLong() : 0;
}

// A zombie has exited; it only waits for a parent (gone, for an orphan in a container without a reaping init).
bool isZombie(qint64 pid) {
    const QList<QByteArray> rest = statFields(pid);
    return !rest.isEmpty() && (rest.at(0) == "Z" || rest.at(0) == "X");
}

qint64 bootTimeSecs() {
    QFile f(QStringLiteral("/proc/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        if (line.startsWith("btime "))
            return line.mid(6).trimmed().toLongLong();
    }
    return 0;
}

QByteArray readTrimmed(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().trimmed();
}
#endif

QByteArray machineId() {
#ifdef Q_OS_LINUX
    QByteArray id = readTrimmed(QStringLiteral("/etc/machine-id"));
    if (id.isEmpty())
        id = readTrimmed(QStringLiteral("/var/lib/dbus/machine-id"));
    return id;
#else
    return {};
#endif
}

QByteArray bootId() {
#ifdef Q_OS_LINUX
    return readTrimmed(QStringLiteral("/proc/sys/kernel/random/boot_id"));
#else
    return {};
#endif
}

// "pid:[4026531836]" -> "4026531836": the inode names the pid namespace, so pids of two containers on one machine
// are never compared with each other.
QByteArray pidNamespace() {
#ifdef Q_OS_LINUX
    const QString link = QFile::symLinkTarget(QStringLiteral("/proc/self/ns/pid"));
    const qsizetype open = link.indexOf(QLatin1Char('['));
    const qsizetype close = link.indexOf(QLatin1Char(']'));
    if (open < 0 || close <= open)
        return {};
    return link.mid(open + 1, close - open - 1).toLatin1();
#else
    return {};
#endif
}

} // namespace

quint64 ProcessIdentity::startTicks(qint64 pid) {
#ifdef Q_OS_LINUX
    return pid > 0 ? readStartTicks(pid) : 0;
#else
    Q_UNUSED(pid)
    return 0;
#endif
}

QDateTime ProcessIdentity::startTime(qint64 pid) {
#ifdef Q_OS_LINUX
    const quint64 ticks = startTicks(pid);
    const qint64 boot = bootTimeSecs();
    const long hz = ::sysconf(_SC_CLK_TCK);
    if (ticks == 0 || boot == 0 || hz <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(boot * 1000 + qint64(ticks * 1000 / quint64(hz)), Qt::UTC);
#else
    Q_UNUSED(pid)
    return {};
#endif
}

bool ProcessIdentity::isRunning(qint64 pid, quint64 ticks) {
#ifdef Q_OS_UNIX
    if (pid <= 0)
        return false;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)
        return false;
#ifdef Q_OS_LINUX
    if (isZombie(pid))
        return false;
    if (ticks != 0) {
        const quint64 now = startTicks(pid);
        return now == 0 || now == ticks; // unreadable /proc: assume it is the owner
    }
#else
    Q_UNUSED(ticks)
#endif
    return true;
#else
    Q_UNUSED(pid)
    Q_UNUSED(ticks)
    return true; // without a cheap liveness check, never declare a process dead
#endif
}

bool ProcessIdentity::runningSince(qint64 pid, const QDateTime &since) {
    if (!isRunning(pid))
        return false;
    const QDateTime started = startTime(pid);
    // Tolerance for the kernel's boot-time rounding (whole seconds) and clock steps.
    return !started.isValid() || !since.isValid() || started <= since.addSecs(5);
}

QString ProcessIdentity::hostTag() {
    const QByteArray h = QCryptographicHash::hash(
        QSysInfo::machineHostName().toUtf8() + '\n' + machineId() + '\n' + pidNamespace(), QCryptographicHash::Sha256);
    return QString::fromLatin1(h.toHex().left(8));
}

QString ProcessIdentity::ownerIdentity() {
    const qint64 pid = QCoreApplication::applicationPid();
    const QByteArray machine = machineId();
    const QByteArray boot = bootId();
    const QByteArray ns = pidNamespace();
    const quint64 ticks = startTicks(pid);
    if (machine.isEmpty() || boot.isEmpty() || ns.isEmpty() || ticks == 0)
        return {};
    return QStringLiteral("v1:%1:%2:%3:%4:%5")
        .arg(QString::fromLatin1(machine), QString::fromLatin1(boot), QString::fromLatin1(ns))
        .arg(pid)
        .arg(ticks);
}

ProcessIdentity::OwnerState ProcessIdentity::ownerState(const QString &identity) {
    const QStringList p = identity.split(QLatin1Char(':'));
    if (p.size() != 6 || p.at(0) != QLatin1String("v1"))
        return OwnerState::Unknown;
    bool pidOk = false;
    bool ticksOk = false;
    const qint64 pid = p.at(4).toLongLong(&pidOk);
    const quint64 ticks = p.at(5).toULongLong(&ticksOk);
    if (!pidOk || !ticksOk || pid <= 0 || ticks == 0)
        return OwnerState::Unknown;
    const QByteArray machine = machineId();
    const QByteArray ns = pidNamespace();
    if (machine.isEmpty() || ns.isEmpty())
        return OwnerState::Alive; // cannot tell where we are: never declare anything dead
    if (p.at(1).toLatin1() != machine || p.at(3).toLatin1() != ns)
        return OwnerState::Foreign;
    const QByteArray boot = bootId();
    if (boot.isEmpty())
        return OwnerState::Alive;
    if (p.at(2).toLatin1() != boot)
        return OwnerState::Dead; // this machine rebooted since: every process of that boot is gone
    if (!isRunning(pid))
        return OwnerState::Dead;
    const quint64 now = startTicks(pid);
    if (now == 0)
        return OwnerState::Alive; // a process with that pid runs, but /proc does not say which one
    return now == ticks ? OwnerState::Alive : OwnerState::Dead;
}

} // namespace lifeboat
