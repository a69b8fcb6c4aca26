#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/ConfigStore.h"
#include "core/CredentialStore.h"
#include "crypto/AgeIdentity.h"

#include <QString>

#include <vector>

namespace lifeboat {

// The age identities an unattended drill (run-due, the app's schedule runner) may use to open an encrypted backup: the
// keys this installation keeps in its settings' key list (option "ageKeys", written by the app's Encryption keys panel
// and by `keygen`) — a key in the credential store by name, or an identity file by path — as `verify --identity-name` /
// `--identity` would take them. Nothing is asked for on a terminal: a drill runs from cron.
class DrillIdentities {
public:
    // The identities for `record`'s recipients; none and *error naming the recipients and what to do when the
    // backup is encrypted and no kept key is for it (unreadable keys are named in the error too).
    static std::vector<AgeIdentity> forRecord(const ConfigStore &config, CredentialStore *store,
                                              const BackupRecord &record, QString *error);
    // Adds (or replaces by name) a key in the settings' key list: where is "keychain" or "file".
    static void remember(ConfigStore &config, const QString &name, const QString &recipient, const QString &where,
                         const QString &file);
};

} // namespace lifeboat
