#pragma once

#include "core/ExitCode.h"
#include "pg/Conninfo.h"

#include <QJsonObject>
#include <QString>

#include <atomic>
#include <functional>

namespace lifeboat {

// The profile's post-restore command (`sh -c`), run after a restore succeeded. It connects as the restore did:
// libpq variables naming the server the checks reached and the restored database, the password through a private
// pgpass file, never in its environment. Apart from RestoreJob so that what the command gets is read in one place.
class PostRestoreCommand {
public:
    // Runs `command`; each line it prints goes to `log` and into details["postRestore"] with its exit code. False
    // with *error (the restore itself succeeded) when it fails or is cancelled through `cancel`.
    static bool run(const QString &command, const Conninfo &target, const QString &password, const QString &targetDb,
                    const std::atomic_bool *cancel, const std::function<void(const QString &)> &log,
                    QJsonObject *details, Error *error);
};

} // namespace lifeboat
