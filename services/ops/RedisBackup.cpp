#include "ops/RedisBackup.h"

#include "catalog/RedisSourceConfig.h"
#include "ops/BackupSteps.h"
#include "redis/RedisBackupJob.h"

namespace lifeboat {

namespace {
QStringList storagesOf(const ConfigStore &config, const RedisBackup::Request &request) {
    if (!request.storages.isEmpty())
        return request.storages;
    const auto src = config.redisSource(request.source);
    return src ? src->storages : QStringList();
}
} // namespace

QStringList RedisBackup::secretKeys(const ConfigStore &config, const Request &request) {
    QStringList keys;
    if (config.redisSource(request.source) || request.passwordGiven)
        keys << RedisSourceConfig::passwordKey(request.source);
    return keys + BackupSteps::storageKeys(config, storagesOf(config, request));
}

PreparedJob RedisBackup::prepare(const UseCaseContext &ctx, const Request &request) {
    const QString &name = request.source;
    const bool manual = request.schedule.isEmpty();
    if (manual && !ConfigStore::isValidName(name))
        return PreparedJob::failed(
            ExitCode::Usage, QStringLiteral("invalid source name \"%1\" (letters, digits, . _ -; up to 63)").arg(name));
    const RedisSourceConfig src = ctx.config.redisSource(name).value_or(RedisSourceConfig{});
    if (src.name.isEmpty() && !request.url)
        return PreparedJob::failed(
            ExitCode::Usage,
            manual
                ? QStringLiteral("no Redis source \"%1\" — pass --url, or add it with `lifeboatctl redis add %1 "
                                 "--url …`")
                      .arg(name)
                : QStringLiteral("schedule \"%1\": Redis source \"%2\" no longer exists").arg(request.schedule, name));
    QString why;
    RedisUrl url = RedisUrl::parse(request.url.value_or(src.url), &why);
    if (!url.isValid())
        return PreparedJob::failed(ExitCode::Usage, manual ? QStringLiteral("--url: %1").arg(why)
                                                           : QStringLiteral("Redis source \"%1\": %2").arg(name, why));
    RedisBackupJob::Request req;
    req.sourceName = name;
    RedisBackupOptions &o = req.options;
    o.compression = !request.compression.isEmpty() ? request.compression
                    : src.name.isEmpty()           ? QStringLiteral("gzip")
                                                   : src.compression;
    o.level = request.level;
    if (!request.type.isEmpty())
        o.type = request.type;
    o.label = request.label;
    o.localRdbPath = request.rdbPath.value_or(src.rdbPath);
    o.caFile = request.caFile.value_or(src.caFile);
    if (const Error e = BackupSteps::recipients(ctx, request.recipients.value_or(src.recipients), request.passphrase,
                                                request.schedule, QStringLiteral("Redis source \"%1\"").arg(name),
                                                QStringLiteral("source's"), &req.encryptTo))
        return PreparedJob::failed(e.code, e.message);
    // The URL of a source is kept without its password; the password lives in the credential store (redis add).
    if (url.password().isEmpty() && (!src.name.isEmpty() || request.passwordGiven))
        url.setPassword(ctx.secret(RedisSourceConfig::passwordKey(name)));
    const QString noStorage =
        manual ? QStringLiteral("no storage given — pass --storage NAME (see `lifeboatctl storage list`)")
               : QStringLiteral("schedule \"%1\": no storage (give the schedule --storage or the Redis source a "
                                "default)")
                     .arg(request.schedule);
    if (const Error e =
            BackupSteps::stores(ctx, storagesOf(ctx.config, request), request.schedule, noStorage, &req.stores))
        return PreparedJob::failed(e.code, e.message);
    req.url = url;
    req.catalog = ctx.catalog;

    PreparedJob out;
    out.job = std::make_unique<RedisBackupJob>(std::move(req));
    out.finished = BackupSteps::watch(ctx, out.job.get(), name, request.schedule,
                                      BackupSteps::what(request.schedule, QStringLiteral("Redis source ") + name,
                                                        QStringLiteral("Redis backup of %1").arg(name)));
    return out;
}

} // namespace lifeboat
