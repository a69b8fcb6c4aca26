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
    // A short, filename-safe tag of this machine's host name (the first 8 hex digits of its SHA-256), so names of
    // scratch files say which host made them without exposing the name or growing socket paths.
    static QString hostTag();
};

} // namespace lifeboat
