#include "ops/Recover.h"

#include "ops/Restore.h"

namespace lifeboat {

std::optional<Profile> Recover::profile(const ConfigStore &config, const QString &name, Error *error) {
    auto p = config.profile(name);
    if (!p)
        *error = {ExitCode::Usage, QStringLiteral("unknown profile \"%1\" (see `lifeboatctl profile list`)").arg(name)};
    return p;
}

QStringList Recover::secretKeys(const ConfigStore &config) {
    QStringList keys;
    for (const StorageConfig &sc : config.storages())
        if (sc.isS3() && !sc.accessKeyId.isEmpty())
            keys << CredentialStore::storageSecretKey(sc.name);
    return keys;
}

std::optional<RecoverJob::Request> Recover::jobRequest(Request request, const UseCaseContext &ctx, Error *error) {
    const auto p = profile(ctx.config, request.profile, error);
    if (!p)
        return std::nullopt;
    RecoverJob::Request req;
    req.profile = *p;
    req.target = request.target;
    req.dataDir = request.dataDir;
    req.port = request.port;
    req.start = request.start;
    req.dryRun = request.dryRun;
    req.requireSigned = request.requireSigned;
    req.timeoutSeconds = request.timeoutSeconds;
    req.identities = std::move(request.identities);
    req.identityArgs = request.identityArgs;
    req.catalog = ctx.catalog;
    req.storages = ctx.config.storages();
    // Resolved now: the job must not ask from its thread. Without a store the reader takes the AWS chain.
    if (ctx.secrets) {
        const QHash<QString, QString> secrets = Restore::storageSecrets(ctx);
        req.secretFor = [secrets](const QString &storage) { return secrets.value(storage); };
    }
    req.pgToolDir = ctx.pgToolDir();
    req.ctlPath = request.ctlPath;
    req.home = request.home;
    req.catalogUri = request.catalogUri;
    return req;
}

PreparedJob Recover::prepare(Request request, const UseCaseContext &ctx) {
    Error error;
    auto req = jobRequest(std::move(request), ctx, &error);
    if (!req)
        return PreparedJob::failed(error.code, error.message);
    PreparedJob p;
    p.job = std::make_unique<RecoverJob>(std::move(*req));
    p.finished = [](const JobResult &) {}; // the job records and audits the recovery itself
    return p;
}

} // namespace lifeboat
