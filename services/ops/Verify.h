#pragma once

#include "catalog/ConfigStore.h"
#include "core/ExitCode.h"
#include "crypto/AgeIdentity.h"
#include "ops/UseCaseContext.h"
#include "restore/VerifyJob.h"
#include "schedule/DueRunner.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace lifeboat {

// The verify use case (`lifeboatctl verify`, the History page's Verify, drills: `run-due` and the tray's schedule
// runner): from the backup and the server as the user named them to a VerifyJob with the server's password and the
// storages' secrets. Secrets come only through UseCaseContext::secrets (drills: DueRunner's lookups).
class Verify {
public:
    struct Request {
        QString source; // catalog id or backup file
        // The server for the temporary database: a profile name or a connection string without a password; unused
        // with `sandbox`.
        QString target;
        // The server's password for this run (stdin, an environment variable); unset: a profile's stored password.
        std::optional<QString> targetPassword;
        bool sandbox = false; // a throwaway local cluster (initdb) instead of a server
        bool requireSigned = false;
        std::vector<AgeIdentity> identities;
    };

    // The profile a catalogued backup came from, the server `lifeboatctl verify` uses without --target; empty with
    // *error set for a backup that is not a database backup or whose profile is gone.
    static QString defaultTarget(const QString &source, const UseCaseContext &ctx, Error *error);
    // The secrets prepare() reads: the server profile's password (unless given for the run) and the S3 secrets.
    static QStringList secretKeys(const ConfigStore &config, const Request &request);
    static std::optional<VerifyJob::Request> jobRequest(Request request, const UseCaseContext &ctx, Error *error);
    static PreparedJob prepare(Request request, const UseCaseContext &ctx);

    // The keys a drill's backup needs (DrillIdentities), for the catalogued backup `recordId`: empty with *missing
    // set when this installation keeps none (the drill then fails before it starts, naming the recipient).
    using IdentitiesFor = std::function<std::vector<AgeIdentity>(qint64 recordId, QString *missing)>;
    // A drill (verify schedule): the schedule's profile's newest backup, on the schedule's target or a sandbox.
    static PreparedJob drill(const DueRunner &runner, const DueRunner::Claim &claim, const DueRunner::Secrets &lookups,
                             const IdentitiesFor &identitiesFor);
};

} // namespace lifeboat
