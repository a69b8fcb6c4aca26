#pragma once

#include <QString>

#include <optional>

namespace lifeboat {

// Names of Lifeboat's temporary files and directories (password files, restore and dump scratch, sandbox clusters)
// carry their owner: "lifeboat-KIND-HOSTTAG-PID-STARTTICKS-XXXXXX". A process killed with SIGKILL can't remove
// them; the next Lifeboat start (ScratchSweeper) reads the owner from the name and removes what belongs to a process
// that is gone — never what a live process (or another host sharing the directory) still uses. The owner is in the
// name, not in a file inside, so there is no moment at which an entry exists without it.
class ScratchName {
public:
    struct Owner {
        QString kind; // "pgpass", "restore", "dump", "sandbox"
        QString hostTag;
        qint64 pid = 0;
        quint64 startTicks = 0;
    };

    // A QTemporaryFile/QTemporaryDir template in `dir` (default: QDir::tempPath()) owned by this process.
    static QString templatePath(const QString &kind, const QString &dir = {});
    // The owner a Lifeboat scratch name carries; nullopt for any other name.
    static std::optional<Owner> parse(const QString &fileName);
};

} // namespace lifeboat
