#include "ops/SetRestore.h"

#include "ops/ProductionServers.h"
#include "ops/Restore.h"
#include "restore/SafetyBackup.h"

namespace lifeboat {

QStringList SetRestore::secretKeys(const ConfigStore &config, const Request &request) {
    return Restore::targetKeys(config, request.target, request.targetPassword.has_value());
}

QStringList SetRestore::storedSecretKeys(const ConfigStore &config, const Request &request) {
    return Restore::productionKeys(config, request.target);
}

SetRestore::Plan SetRestore::plan(Request request, const UseCaseContext &ctx) {
    Plan out;
    SetPlanner::RestoreTargets &t = request.targets;
    RestoreOptions &o = t.database;
    std::optional<Profile> profile;
    if (!request.target.isEmpty()) {
        const auto target = Restore::resolveTarget(ctx.config, request.target, o.desktopWording, &out.error);
        if (!target)
            return out;
        o.targetConninfo = target->conninfo;
        o.targetProfile = target->profile;
        o.targetProduction = target->production;
        o.postRestoreCommand = target->postRestoreCommand;
        profile = ctx.config.profile(target->profile);
    }
    if (request.targetPassword)
        t.databasePassword = *request.targetPassword;
    else if (profile)
        t.databasePassword = ctx.secret(CredentialStore::profilePasswordKey(profile->name));
    SetPlanner::Secrets sec;
    sec.storages = Restore::storageSecrets(ctx);
    // A production target gets its safety backup exactly as with `restore`.
    if (profile && profile->production)
        t.safetyBackup = SafetyBackup::factory(*profile, t.databasePassword, ctx.config.storages(), sec.storages,
                                               ctx.catalog, ctx.pgToolDir());
    // A target that reaches a production profile's server however it is spelled gets the same treatment, by the
    // same guard as `restore` (RestoreJob compares server identities; it fails closed).
    t.productionServers = ProductionServers::forTarget(ctx.config, profile ? profile->name : QString(), ctx.secrets,
                                                       sec.storages, ctx.catalog);
    out.request = SetPlanner::restore(ctx.config, ctx.catalog, request.setId, t, sec, &out.error);
    return out;
}

PreparedJob SetRestore::job(Plan plan) {
    if (!plan.request)
        return PreparedJob::failed(plan.error.code, plan.error.message);
    PreparedJob p;
    p.job = std::make_unique<SetRestoreJob>(std::move(*plan.request));
    p.finished = [](const JobResult &) {}; // the job records every member's restore itself
    return p;
}

} // namespace lifeboat
