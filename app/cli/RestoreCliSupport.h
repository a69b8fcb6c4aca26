#pragma once

#include "CliCommand.h"

#include "core/ExitCode.h"
#include "crypto/AgeIdentity.h"
#include "restore/RestoreJob.h"
#include "restore/SafetyCheck.h"

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

// What `restore` and `verify` share: age identities from --identity/--passphrase-stdin, the target server from a
// profile name or a URI, and printing the safety checklist.
class RestoreCliSupport {
public:
    struct Target {
        QString conninfo; // without password
        QString password;
        QString profile; // empty for a URI
        bool production = false;
        QString postRestoreCommand;
        QStringList storages; // the profile's default storages (safety backups)
    };

    static CliOptions identityOptions(); // --identity, --identity-name, --passphrase-stdin
    static CliOptions passwordOptions(); // the target server's: --password-stdin, --secret-env
    // nullopt after printing the error (the exit code is in *rc).
    static std::optional<std::vector<lifeboat::AgeIdentity>> identities(CliContext &ctx, const ArgParser &p, int *rc);
    static std::optional<Target> target(CliContext &ctx, CliSecrets &secrets, const ArgParser &p, const QString &spec,
                                        int *rc);
    static void printChecks(CliContext &ctx, const QJsonArray &checks);
    // Every production profile other than the target's own, for RestoreJob's production guard: a target that
    // reaches one of their servers — however it is spelled — gets production treatment (restore, set restore).
    // Passwords come only from the persistent credential store, never a prompt.
    static QList<lifeboat::RestoreJob::Request::ProductionServer>
    productionServers(CliContext &ctx, CliSecrets &secrets, const QString &targetProfile,
                      const QHash<QString, QString> &storageSecrets, const QString &pgToolDir);
};
