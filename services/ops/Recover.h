#pragma once

#include "catalog/ConfigStore.h"
#include "catalog/Profile.h"
#include "core/ExitCode.h"
#include "crypto/AgeIdentity.h"
#include "ops/UseCaseContext.h"
#include "pitr/RecoverJob.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace lifeboat {

// The point-in-time recovery use case (`lifeboatctl recover`, the Recover dialog's check and run): from the profile
// as the user named it, the target and the new server's place to a RecoverJob with the storages' secrets (the base
// backup's copy may be in S3). Secrets come only through UseCaseContext::secrets.
class Recover {
public:
    struct Request {
        QString profile; // as the user named it
        RecoverTarget target;
        QString dataDir;
        int port = 0;
        bool start = false;
        bool dryRun = false;
        bool requireSigned = false;
        int timeoutSeconds = 3600;
        std::vector<AgeIdentity> identities;
        QStringList identityArgs; // for `wal fetch`: --identity FILE / --identity-name NAME (never key material)
        QString ctlPath;          // lifeboatctl, for restore_command
        QString home;
        QString catalogUri; // empty: the home's default
    };

    // The profile named `name`; nullopt with *error (ExitCode::Usage) when there is none.
    static std::optional<Profile> profile(const ConfigStore &config, const QString &name, Error *error);
    // The secrets prepare() reads: the S3 storages' secret keys.
    static QStringList secretKeys(const ConfigStore &config);
    static std::optional<RecoverJob::Request> jobRequest(Request request, const UseCaseContext &ctx, Error *error);
    static PreparedJob prepare(Request request, const UseCaseContext &ctx);
};

} // namespace lifeboat
