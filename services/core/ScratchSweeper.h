#pragma once

#include <QList>
#include <QString>

namespace lifeboat {

// The start-up sweep of scratch space: removes Lifeboat's temporary files and directories (ScratchName) whose owning
// process on this host is gone — password files, decrypted restore scratch, directory-format dumps, sandbox clusters.
// A sandbox directory may still hold a running postmaster (its owner was killed before it could stop it, on a system
// without parent-death signals, or the server was wedged): that postmaster is found through its own pid file
// (data/postmaster.pid, checked against the process's working directory so a recycled pid is never signalled),
// stopped with SIGQUIT (immediate shutdown), SIGKILL if it does not go, and only then is the directory removed.
// Only entries owned by the current user are touched (root: any, since it chowns sandbox directories to postgres).
class ScratchSweeper {
public:
    struct Item {
        QString path;
        QString what; // "password file of pid 123 (gone)", "sandbox cluster of pid 77 (gone); postmaster 88 stopped"
        bool removed = false;
        QString problem; // why it was left (empty when removed)
    };

    // Sweeps `dir` (default: QDir::tempPath()).
    static QList<Item> sweep(const QString &dir = {});

    // Stops a postmaster that serves the data directory `dataDir` (from its postmaster.pid). Returns false with *why
    // when one runs and could not be stopped; true when none runs (any more). *stoppedPid: the pid stopped, or 0.
    static bool stopPostmaster(const QString &dataDir, qint64 *stoppedPid, QString *why);
};

} // namespace lifeboat
