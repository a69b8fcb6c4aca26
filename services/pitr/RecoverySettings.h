#pragma once

#include "core/ExitCode.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace lifeboat {

// What turns an extracted base backup into a server that recovers, and only recovers: the configuration files a
// base backup can lack (Debian keeps them in /etc), the recovery settings appended to postgresql.auto.conf, and
// recovery.signal. Apart from RecoverJob so the settings a recovered copy runs with can be read in one place.
class RecoverySettings {
public:
    // postgresql.conf, pg_hba.conf (local peer, loopback scram) and pg_ident.conf, each only where the backup has
    // none; `note` hears of each one written. False when one cannot be written.
    static bool writeMissingConfig(const QString &dataDir, const std::function<void(const QString &)> &note);
    // The lines for postgresql.auto.conf: `header` (a comment), the port and socket, never archiving into or
    // streaming from the source, restore_command, promote at the target, and the log settings RecoveryLog reads;
    // then `targetSettings` (RecoverTarget::settings()).
    static QStringList lines(const QString &header, int port, const QString &socketDir, const QString &restoreCommand,
                             const QStringList &targetSettings);
    // Appends `lines` to postgresql.auto.conf and writes recovery.signal (a standby.signal from the source goes).
    static Error write(const QString &dataDir, const QStringList &lines);
    // A postgresql.conf string value: 'text' with every ' doubled.
    static QString quote(const QString &value);
};

} // namespace lifeboat
