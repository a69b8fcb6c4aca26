#pragma once

#include <QDateTime>
#include <QString>

namespace lifeboat {

// Who a process is, beyond its pid: a pid alone is recycled, so a leftover owned by "pid 4711" could be taken for a
// live process's. On Linux the kernel's start time of the process (clock ticks since boot, /proc/PID/stat field 22)
// tells a recycled pid from the owner; elsewhere only the pid is checked, which errs on the side of "still alive".
class ProcessIdentity {
public:
    // Start time of pid in clock ticks since boot; 0 when unknown (no such process, or not Linux).
    static quint64 startTicks(qint64 pid);
    // Wall-clock (UTC) start of pid; invalid when unknown.
    static QDateTime startTime(qint64 pid);
    // True when pid is a running process and, if startTicks is known (non-zero), the same process that had it.
    static bool isRunning(qint64 pid, quint64 startTicks = 0);
    // True when pid runs now and started no later than `since` (a record of a backup started at `since` by pid is
    // then still owned by that process). A pid that started after `since` was recycled.
    static bool runningSince(qint64 pid, const QDateTime &since);
    // A short, filename-safe tag of this machine and pid namespace (the first 8 hex digits of the SHA-256 of host
    // name, machine-id and pid-namespace inode), so names of scratch files say whose they are without exposing the
    // name or growing socket paths. Cloned VMs or a container sharing the host name get different tags, so neither
    // sweeps the other's scratch.
    static QString hostTag();

    // The exact identity of this process, recorded with an IN_PROGRESS record:
    // "v1:MACHINE_ID:BOOT_ID:PIDNS_INODE:PID:START_TICKS". Empty when any part is unknown (not Linux).
    static QString ownerIdentity();

    enum class OwnerState {
        Alive,   // the owner runs here, or it cannot be told: leave its things alone
        Dead,    // the owner ran on this machine and pid namespace and is certainly gone
        Foreign, // another machine or pid namespace: never touched from here
        Unknown, // no (parsable) identity: an older record
    };
    // What became of the process an ownerIdentity() string names. Start ticks are compared exactly, never a wall
    // clock: a clock step (VM resume, NTP catch-up) must not make a live owner look recycled.
    static OwnerState ownerState(const QString &identity);
};

} // namespace lifeboat
