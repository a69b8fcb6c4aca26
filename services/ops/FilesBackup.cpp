#include "ops/FilesBackup.h"

#include "files/FilesBackupJob.h"
#include "ops/BackupSteps.h"

namespace lifeboat {

namespace {
QStringList storagesOf(const ConfigStore &config, const FilesBackup::Request &request) {
    if (!request.storages.isEmpty())
        return request.storages;
    const auto src = config.fileSource(request.source);
    return src ? src->storages : QStringList();
}
} // namespace

QStringList FilesBackup::secretKeys(const ConfigStore &config, const Request &request) {
    return BackupSteps::storageKeys(config, storagesOf(config, request));
}

PreparedJob FilesBackup::prepare(const UseCaseContext &ctx, const Request &request) {
    const QString &name = request.source;
    const bool manual = request.schedule.isEmpty();
    if (manual && !ConfigStore::isValidName(name))
        return PreparedJob::failed(
            ExitCode::Usage, QStringLiteral("invalid source name \"%1\" (letters, digits, . _ -; up to 63)").arg(name));
    const FileSourceConfig src = ctx.config.fileSource(name).value_or(FileSourceConfig{});
    if (src.name.isEmpty() && !request.path)
        return PreparedJob::failed(
            ExitCode::Usage,
            manual
                ? QStringLiteral("no file source \"%1\" — pass --path DIR, or add it with `lifeboatctl files add "
                                 "%1 --path DIR`")
                      .arg(name)
                : QStringLiteral("schedule \"%1\": file source \"%2\" no longer exists").arg(request.schedule, name));
    FilesBackupJob::Request req;
    req.sourceName = name;
    req.path = request.path.value_or(src.path);
    FilesBackupOptions &o = req.options;
    o.excludes = src.excludes + request.excludes;
    o.compression = !request.compression.isEmpty() ? request.compression
                    : src.name.isEmpty()           ? QStringLiteral("zstd")
                                                   : src.compression;
    o.level = request.level;
    if (!request.type.isEmpty())
        o.type = request.type;
    o.label = request.label;
    if (const Error e = BackupSteps::recipients(ctx, request.recipients.value_or(src.recipients), request.passphrase,
                                                request.schedule, QStringLiteral("file source \"%1\"").arg(name),
                                                QStringLiteral("source's"), &req.encryptTo))
        return PreparedJob::failed(e.code, e.message);
    const QString noStorage =
        manual ? QStringLiteral("no storage given — pass --storage NAME (see `lifeboatctl storage list`)")
               : QStringLiteral("schedule \"%1\": no storage (give the schedule --storage or the file source a "
                                "default)")
                     .arg(request.schedule);
    if (const Error e =
            BackupSteps::stores(ctx, storagesOf(ctx.config, request), request.schedule, noStorage, &req.stores))
        return PreparedJob::failed(e.code, e.message);
    req.catalog = ctx.catalog;

    PreparedJob out;
    out.job = std::make_unique<FilesBackupJob>(std::move(req));
    out.finished = BackupSteps::watch(ctx, out.job.get(), name, request.schedule,
                                      BackupSteps::what(request.schedule, QStringLiteral("file source ") + name,
                                                        QStringLiteral("file backup of %1").arg(name)));
    return out;
}

} // namespace lifeboat
