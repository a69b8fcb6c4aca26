#pragma once

#include "catalog/ConfigStore.h"
#include "core/ExitCode.h"
#include "ops/UseCaseContext.h"
#include "sets/SetPlanner.h"
#include "sets/SetRestoreJob.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace lifeboat {

// The set restore use case (`lifeboatctl set restore`, the Set restore dialog): the set's run and the database
// member's target as the user named them, planned by SetPlanner with the target's password, the S3 secrets, the
// production safety backup and ProductionServers, as `restore` does. Secrets come only through
// UseCaseContext::secrets.
class SetRestore {
public:
    struct Request {
        QString setId;
        // The database member's server: a profile name or a connection string without a password; empty: none.
        QString target;
        std::optional<QString> targetPassword; // for this run; unset: a profile's stored password
        // Where each member goes; the use case fills the database target's fields, password, safety backup and
        // production servers.
        SetPlanner::RestoreTargets targets;
    };
    // SetPlanner's answer: the app plans on a worker (it reads the catalog) and makes the job on the GUI thread.
    struct Plan {
        std::optional<SetRestoreJob::Request> request;
        Error error;
    };

    // What plan() reads that the user may be asked for (the target profile's password, the S3 secrets), and what
    // only a store that keeps secrets may give (the other production profiles' passwords).
    static QStringList secretKeys(const ConfigStore &config, const Request &request);
    static QStringList storedSecretKeys(const ConfigStore &config, const Request &request);
    static Plan plan(Request request, const UseCaseContext &ctx);
    static PreparedJob job(Plan plan);
    static PreparedJob prepare(Request request, const UseCaseContext &ctx) {
        return job(plan(std::move(request), ctx));
    }
};

} // namespace lifeboat
