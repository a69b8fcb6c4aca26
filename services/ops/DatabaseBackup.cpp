#include "ops/DatabaseBackup.h"

#include "jobs/BackupJob.h"
#include "ops/BackupSteps.h"

namespace lifeboat {

QStringList DatabaseBackup::secretKeys(const ConfigStore &config, const Request &request) {
    return BackupSteps::profileKeys(config, request.profile, request.storages);
}

PreparedJob DatabaseBackup::prepare(const UseCaseContext &ctx, const Request &request) {
    Error unknown;
    const auto profile = BackupSteps::profile(ctx.config, request.profile, request.schedule, &unknown);
    if (!profile)
        return PreparedJob::failed(unknown.code, unknown.message);
    BackupJob::Request req;
    req.profile = *profile;
    req.options = request.options;
    if (const Error e = BackupSteps::recipients(
            ctx, request.recipients.value_or(profile->recipients), request.passphrase, request.schedule,
            QStringLiteral("profile \"%1\"").arg(profile->name), QStringLiteral("profile's"), &req.encryptTo))
        return PreparedJob::failed(e.code, e.message);
    if (request.keepDays != 0) {
        if (request.keepDays < 1 || request.keepDays > 36500)
            return PreparedJob::failed(ExitCode::Usage,
                                       QStringLiteral("--keep-days takes a number of days from 1 to 36500"));
        if (request.options.type != QLatin1String("MANUAL"))
            return PreparedJob::failed(ExitCode::Usage, QStringLiteral("--keep-days is for manual backups; scheduled "
                                                                       "types follow the retention policy"));
    }
    const QString noStorage =
        request.schedule.isEmpty()
            ? QStringLiteral("no storage given and profile \"%1\" has no default — pass --storage NAME")
                  .arg(profile->name)
            : QStringLiteral("schedule \"%1\": no storage (give the schedule --storage or the profile a default)")
                  .arg(request.schedule);
    if (const Error e = BackupSteps::stores(ctx, BackupSteps::profileStorages(*profile, request.storages),
                                            request.schedule, noStorage, &req.stores))
        return PreparedJob::failed(e.code, e.message);
    req.password = ctx.secret(CredentialStore::profilePasswordKey(profile->name));
    req.catalog = ctx.catalog;
    req.pgToolDir = ctx.pgToolDir();

    PreparedJob out;
    out.job = std::make_unique<BackupJob>(std::move(req));
    std::function<void(const JobResult &)> keep;
    if (request.keepDays > 0) {
        keep = [catalog = ctx.catalog, warn = ctx.warn, days = request.keepDays](const JobResult &r) {
            if (!r.ok())
                return;
            // Retention reads `expires` of a manual backup as its own keep period.
            if (auto rec = catalog->get(r.recordId)) {
                rec->expires = rec->started.addDays(days);
                QString err;
                if (!catalog->update(*rec, &err) && warn)
                    warn(QStringLiteral("could not record --keep-days: %1").arg(err));
            }
        };
    }
    out.finished = BackupSteps::watch(
        ctx, out.job.get(), profile->name, request.schedule,
        BackupSteps::what(request.schedule, profile->name, QStringLiteral("backup of %1").arg(profile->name)),
        std::move(keep));
    return out;
}

} // namespace lifeboat
