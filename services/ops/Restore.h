#pragma once

#include "catalog/ConfigStore.h"
#include "core/ExitCode.h"
#include "crypto/AgeIdentity.h"
#include "ops/UseCaseContext.h"
#include "restore/RestoreJob.h"
#include "restore/RestoreOptions.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace lifeboat {

// The restore use case (`lifeboatctl restore`, the restore wizard): from the backup and target as the user named
// them to a RestoreJob with the target's password, the storages' secrets, the production safety backup and the
// production profiles the job's guard compares the target with. Secrets come only through UseCaseContext::secrets.
class Restore {
public:
    struct Request {
        QString source; // catalog id or backup file
        // A profile name, or a connection string (URI or key=value) without a password.
        QString target;
        // The target's password for this run (stdin, an environment variable, a URI's own); unset: a profile's
        // stored password (UseCaseContext::secrets), else libpq's own sources.
        std::optional<QString> targetPassword;
        // How to restore; the target fields (conninfo, profile, production, post-restore command) are filled from
        // `target`.
        RestoreOptions options;
        std::vector<AgeIdentity> identities;
    };

    struct Target {
        QString conninfo; // without password
        QString profile;  // empty for a connection string
        bool production = false;
        QString postRestoreCommand;
    };

    // A profile by name, else a connection string; nullopt with *error set (ExitCode::Usage) when `spec` is
    // neither, or carries a password (a command line is visible to other users). Reads no secret.
    static std::optional<Target> resolveTarget(const ConfigStore &config, const QString &spec, bool desktopWording,
                                               Error *error);
    // The secrets prepare() reads that the user may be asked for: the target profile's password (unless the
    // request carries one) and the S3 storages' secret keys.
    static QStringList secretKeys(const ConfigStore &config, const Request &request);
    // What every restore-side use case (Restore, SetRestore, Verify) reads: the target profile's password unless
    // one was given for the run (`target` a profile name, else nothing), and every S3 storage's secret (a copy may
    // be read from any of them); and, from a store that keeps secrets only, the other production profiles' ones.
    static QStringList targetKeys(const ConfigStore &config, const QString &target, bool passwordGiven);
    static QStringList productionKeys(const ConfigStore &config, const QString &target);
    // The secrets prepare() reads that must only come from a store that keeps them (the other production
    // profiles' passwords, ProductionServers).
    static QStringList storedSecretKeys(const ConfigStore &config, const Request &request);
    // The S3 secret keys of every S3 storage with an access key id, by storage name (the AWS chain for the others).
    static QHash<QString, QString> storageSecrets(const UseCaseContext &ctx);

    // The job's request, resolved; nullopt with *error set when the target cannot be resolved (nothing read).
    static std::optional<RestoreJob::Request> jobRequest(Request request, const UseCaseContext &ctx, Error *error);
    static PreparedJob prepare(Request request, const UseCaseContext &ctx);
};

} // namespace lifeboat
