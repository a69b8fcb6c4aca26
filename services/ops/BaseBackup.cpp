#include "ops/BaseBackup.h"

#include "ops/BackupSteps.h"
#include "pitr/BaseBackupJob.h"

namespace lifeboat {

QStringList BaseBackup::secretKeys(const ConfigStore &config, const Request &request) {
    return BackupSteps::profileKeys(config, request.profile, request.storages);
}

PreparedJob BaseBackup::prepare(const UseCaseContext &ctx, const Request &request) {
    Error unknown;
    const auto profile = BackupSteps::profile(ctx.config, request.profile, request.schedule, &unknown);
    if (!profile)
        return PreparedJob::failed(unknown.code, unknown.message);
    BaseBackupJob::Request req;
    req.profile = *profile;
    if (!request.type.isEmpty())
        req.type = request.type;
    req.label = request.label;
    // A profile's recipients are the profile's; by hand the passphrase error says "the source's", as before.
    if (const Error e = BackupSteps::recipients(
            ctx, request.recipients.value_or(profile->recipients), request.passphrase, request.schedule,
            QStringLiteral("profile \"%1\"").arg(profile->name), QStringLiteral("source's"), &req.encryptTo))
        return PreparedJob::failed(e.code, e.message);
    const QString noStorage =
        request.schedule.isEmpty()
            ? QStringLiteral("no storage given — pass --storage NAME (see `lifeboatctl storage list`)")
            : QStringLiteral("schedule \"%1\": no storage (give the schedule --storage or the profile a default)")
                  .arg(request.schedule);
    if (const Error e = BackupSteps::stores(ctx, BackupSteps::profileStorages(*profile, request.storages),
                                            request.schedule, noStorage, &req.stores))
        return PreparedJob::failed(e.code, e.message);
    req.password = ctx.secret(CredentialStore::profilePasswordKey(profile->name));
    req.catalog = ctx.catalog;
    req.pgToolDir = ctx.pgToolDir();

    PreparedJob out;
    out.job = std::make_unique<BaseBackupJob>(std::move(req));
    out.finished = BackupSteps::watch(ctx, out.job.get(), profile->name, request.schedule,
                                      BackupSteps::what(request.schedule, QStringLiteral("profile ") + profile->name,
                                                        QStringLiteral("base backup of %1").arg(profile->name)));
    return out;
}

} // namespace lifeboat
