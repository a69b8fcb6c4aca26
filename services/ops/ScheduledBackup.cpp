#include "ops/ScheduledBackup.h"

#include "ops/BaseBackup.h"
#include "ops/DatabaseBackup.h"
#include "ops/FilesBackup.h"
#include "ops/RedisBackup.h"

namespace lifeboat {

namespace {
DatabaseBackup::Request databaseRequest(const DueRunner &runner, const DueRunner::Claim &claim) {
    DatabaseBackup::Request r;
    r.profile = claim.schedule.profile;
    r.storages = runner.storagesFor(claim.schedule);
    r.options = DueRunner::optionsFor(claim);
    r.schedule = claim.schedule.name;
    return r;
}

// The request of a base, file or Redis schedule: the same fields under the kind's names.
template <typename Request> Request sourceRequest(const DueRunner &runner, const DueRunner::Claim &claim) {
    const BackupOptions o = DueRunner::optionsFor(claim);
    Request r;
    r.storages = runner.storagesFor(claim.schedule);
    r.type = o.type;
    r.label = o.label;
    r.schedule = claim.schedule.name;
    return r;
}

BaseBackup::Request baseRequest(const DueRunner &runner, const DueRunner::Claim &claim) {
    auto r = sourceRequest<BaseBackup::Request>(runner, claim);
    r.profile = claim.schedule.profile;
    return r;
}

FilesBackup::Request filesRequest(const DueRunner &runner, const DueRunner::Claim &claim) {
    auto r = sourceRequest<FilesBackup::Request>(runner, claim);
    r.source = claim.schedule.profile;
    return r;
}

RedisBackup::Request redisRequest(const DueRunner &runner, const DueRunner::Claim &claim) {
    auto r = sourceRequest<RedisBackup::Request>(runner, claim);
    r.source = claim.schedule.profile;
    return r;
}
} // namespace

QStringList ScheduledBackup::secretKeys(const ConfigStore &config, const DueRunner &runner,
                                        const DueRunner::Claim &claim) {
    const QString &kind = claim.schedule.sourceKind;
    if (claim.schedule.isDrill())
        return {};
    if (kind == QLatin1String("files"))
        return FilesBackup::secretKeys(config, filesRequest(runner, claim));
    if (kind == QLatin1String("redis"))
        return RedisBackup::secretKeys(config, redisRequest(runner, claim));
    if (kind == QLatin1String("base"))
        return BaseBackup::secretKeys(config, baseRequest(runner, claim));
    return DatabaseBackup::secretKeys(config, databaseRequest(runner, claim));
}

PreparedJob ScheduledBackup::prepare(const UseCaseContext &ctx, const DueRunner &runner,
                                     const DueRunner::Claim &claim) {
    const ScheduleRecord &s = claim.schedule;
    PreparedJob out;
    if (const Error e = runner.checkSource(s))
        out = PreparedJob::failed(e.code, e.message);
    else if (s.isDrill())
        out = PreparedJob::failed(
            ExitCode::Usage, QStringLiteral("schedule \"%1\" is a drill: the Verify use case runs it").arg(s.name));
    else if (s.sourceKind == QLatin1String("files"))
        out = FilesBackup::prepare(ctx, filesRequest(runner, claim));
    else if (s.sourceKind == QLatin1String("redis"))
        out = RedisBackup::prepare(ctx, redisRequest(runner, claim));
    else if (s.sourceKind == QLatin1String("base"))
        out = BaseBackup::prepare(ctx, baseRequest(runner, claim));
    else
        out = DatabaseBackup::prepare(ctx, databaseRequest(runner, claim));
    if (!out.finished) {
        // Nothing was started; the run is recorded FAILED by the front end and told here.
        out.finished = [notify = ctx.notify, profile = s.profile, schedule = s.name](const JobResult &r) {
            if (notify)
                notify(DueRunner::notification(profile, schedule, r.recordId, r.error, r.details));
        };
    }
    return out;
}

} // namespace lifeboat
