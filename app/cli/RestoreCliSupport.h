#pragma once

#include "CliCommand.h"

#include "core/ExitCode.h"
#include "crypto/AgeIdentity.h"
#include "ops/UseCaseContext.h"
#include "restore/SafetyCheck.h"
#include "secrets/MemoryCredentialStore.h"

#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

class ArgParser;
class CliContext;
class CliSecrets;

// What the restore-side commands (restore, verify, recover, set restore) share: age identities from --identity/
// --passphrase-stdin, the target server's password as given for the run, reading a use case's secrets the way
// lifeboatctl reads them, and printing the safety checklist.
class RestoreCliSupport {
public:
    static CliOptions identityOptions(); // --identity, --identity-name, --passphrase-stdin
    static CliOptions passwordOptions(); // the target server's: --password-stdin, --secret-env
    // nullopt after printing the error (the exit code is in *rc).
    static std::optional<std::vector<lifeboat::AgeIdentity>> identities(CliContext &ctx, const ArgParser &p, int *rc);
    static void printChecks(CliContext &ctx, const QJsonArray &checks);
    // The target's password as given for this run (--password-stdin, --secret-env VAR); nullopt without either.
    static std::optional<QString> givenPassword(CliSecrets &secrets, const ArgParser &p);
    // The secrets a use case reads, read now as lifeboatctl reads them: `asked` through CliSecrets (the credential
    // store, else a prompt on a terminal), `storedOnly` from a store that keeps secrets and never a prompt.
    static lifeboat::MemoryCredentialStore readSecrets(CliSecrets &secrets, const QStringList &asked,
                                                       const QStringList &storedOnly);
    // A use case's context for this lifeboatctl run: its catalog and settings, `secrets`, warnings on stderr.
    static lifeboat::UseCaseContext useCaseContext(CliContext &ctx, lifeboat::CredentialStore *secrets);
};
