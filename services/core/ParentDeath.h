#pragma once

#include <csignal>

class QProcess;

namespace lifeboat {

// Children never outlive Lifeboat: a pg_dump, psql or postmaster left running after `kill -9` of lifeboatctl keeps
// reading a database, writing into a scratch directory or holding restored data. On Linux the child asks the kernel
// for `signal` when its parent goes (PR_SET_PDEATHSIG). Note the kernel ties this to the *thread* that forked the
// child: start the process on the thread that also waits for it (as every job does), never on a pool thread that
// may retire while the child runs. Elsewhere this is a no-op (documented: Windows would need a Job Object with
// JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, macOS has no equivalent); the start-up sweep covers what remains.
void dieWithParent(QProcess &process, int signal = SIGKILL);

} // namespace lifeboat
