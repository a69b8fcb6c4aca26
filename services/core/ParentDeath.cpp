#include "core/ParentDeath.h"

#include <QProcess>

#if defined(Q_OS_LINUX)
#include <sys/prctl.h>
#include <unistd.h>
#endif

namespace lifeboat {

void dieWithParent(QProcess &process, int signal) {
#if defined(Q_OS_LINUX)
    const pid_t parent = ::getpid();
    // Runs in the child between fork and exec: only async-signal-safe calls.
    process.setChildProcessModifier([parent, signal] {
        ::prctl(PR_SET_PDEATHSIG, signal);
        // The parent may have died between fork and prctl: then nobody will send the signal.
        if (::getppid() != parent)
            ::raise(signal);
    });
#else
    Q_UNUSED(process);
    Q_UNUSED(signal);
#endif
}

} // namespace lifeboat
