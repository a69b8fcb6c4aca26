#include "ops/Mirror.h"

#include "mirror/MirrorJob.h"
#include "mirror/MirrorRestoreJob.h"

#include <QStringList>

namespace lifeboat {

namespace {

// An S3 storage's secret key; none for a local storage or one that takes the AWS chain (no access key id).
QString storageSecret(const UseCaseContext &ctx, const StorageConfig &storage) {
    if (!storage.isS3() || storage.accessKeyId.isEmpty())
        return {};
    return ctx.secret(CredentialStore::storageSecretKey(storage.name));
}

PreparedJob usage(const QString &message) {
    return PreparedJob::failed(ExitCode::Usage, message);
}

} // namespace

PreparedJob Mirror::run(const RunRequest &request, const UseCaseContext &ctx) {
    const auto m = ctx.config.mirror(request.mirror);
    if (!m)
        return usage(QStringLiteral("unknown mirror \"%1\" (see `lifeboatctl mirror list`)").arg(request.mirror));
    const auto source = ctx.config.storage(m->sourceStorage);
    const auto dest = ctx.config.storage(m->storage);
    if (!source || !dest)
        return usage(QStringLiteral("mirror \"%1\" names a storage that no longer exists (%2)")
                         .arg(m->name, !source ? m->sourceStorage : m->storage));
    MirrorJob::Request req;
    req.mirror = *m;
    req.source = *source;
    req.sourceSecret = storageSecret(ctx, *source);
    req.destination = *dest;
    req.destinationSecret = storageSecret(ctx, *dest);
    req.catalog = ctx.catalog;
    const QString type = request.type.toUpper();
    if (!type.isEmpty()) {
        if (!QStringList{QStringLiteral("MANUAL"), QStringLiteral("DAILY"), QStringLiteral("WEEKLY"),
                         QStringLiteral("MONTHLY")}
                 .contains(type))
            return usage(QStringLiteral("--type takes manual, daily, weekly or monthly"));
        req.options.type = type;
    }
    req.options.label = request.label;
    PreparedJob p;
    p.job = std::make_unique<MirrorJob>(std::move(req));
    p.finished = [](const JobResult &) {}; // the job records the run itself
    return p;
}

PreparedJob Mirror::restore(const RestoreRequest &request, const UseCaseContext &ctx) {
    bool ok = false;
    const qint64 id = request.run.toLongLong(&ok);
    const auto record = ok && ctx.catalog ? ctx.catalog->get(id) : std::nullopt;
    if (!record || record->kind != QLatin1String("mirror"))
        return usage(QStringLiteral("\"%1\" is not a mirror run in the catalog (see `lifeboatctl list --kind mirror`)")
                         .arg(request.run));
    if (!request.to)
        return usage(QStringLiteral("mirror restore needs --to STORAGE"));
    const auto target = ctx.config.storage(*request.to);
    if (!target || !target->isS3())
        return usage(QStringLiteral("--to: \"%1\" is not an S3 storage").arg(*request.to));
    if (record->locations.isEmpty())
        return usage(QStringLiteral("mirror run #%1 has no object list (status %2)").arg(id).arg(record->status));
    const auto mirrorStorage = ctx.config.storage(record->locations.first().storage);
    if (!mirrorStorage)
        return usage(QStringLiteral("mirror run #%1 is kept in the storage \"%2\", which is not configured here")
                         .arg(id)
                         .arg(record->locations.first().storage));
    MirrorRestoreJob::Request req;
    req.record = *record;
    req.mirrorStorage = *mirrorStorage;
    req.mirrorSecret = storageSecret(ctx, *mirrorStorage);
    req.target = *target;
    req.targetSecret = storageSecret(ctx, *target);
    if (request.prefix)
        req.prefix = *request.prefix;
    req.overwrite = request.overwrite;
    PreparedJob p;
    p.job = std::make_unique<MirrorRestoreJob>(std::move(req));
    p.finished = [](const JobResult &) {}; // the job records the restore itself
    return p;
}

} // namespace lifeboat
