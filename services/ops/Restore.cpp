#include "ops/Restore.h"

#include "ops/ProductionServers.h"
#include "pg/Conninfo.h"
#include "restore/SafetyBackup.h"

namespace lifeboat {

std::optional<Restore::Target> Restore::resolveTarget(const ConfigStore &config, const QString &spec,
                                                      bool desktopWording, Error *error) {
    Target t;
    if (const auto profile = config.profile(spec)) {
        t.conninfo = profile->conninfo;
        t.profile = profile->name;
        t.production = profile->production;
        t.postRestoreCommand = profile->postRestoreCommand;
        return t;
    }
    if (!spec.contains(QLatin1Char('=')) && !spec.contains(QLatin1String("://"))) {
        *error = {ExitCode::Usage, desktopWording
                                       ? QStringLiteral("\"%1\" is neither a profile nor a connection URI").arg(spec)
                                       : QStringLiteral("\"%1\" is neither a profile (see `lifeboatctl profile list`) "
                                                        "nor a connection URI / conninfo")
                                             .arg(spec)};
        return std::nullopt;
    }
    const Conninfo ci = Conninfo::parse(spec, error);
    if (!ci.isValid())
        return std::nullopt;
    if (!ci.password().isEmpty()) {
        // A command line is visible to every user of the machine (ps, /proc): refused before anything runs, as a
        // password in any other option would be.
        *error = {ExitCode::Usage,
                  desktopWording
                      ? QStringLiteral("a password inside the connection string is refused — give it separately")
                      : QStringLiteral("--target: a password inside the connection string is refused (a command line "
                                       "is visible to other users) — remove it and give it with --password-stdin or "
                                       "--secret-env VAR, keep it in ~/.pgpass, or add a profile (`lifeboatctl "
                                       "profile add NAME --conninfo URI --password-stdin`) and pass --target NAME")};
        return std::nullopt;
    }
    t.conninfo = ci.toKeywordString();
    return t;
}

QStringList Restore::targetKeys(const ConfigStore &config, const QString &target, bool passwordGiven) {
    QStringList keys;
    if (!passwordGiven)
        if (const auto profile = config.profile(target))
            keys << CredentialStore::profilePasswordKey(profile->name);
    for (const StorageConfig &sc : config.storages())
        if (sc.isS3() && !sc.accessKeyId.isEmpty())
            keys << CredentialStore::storageSecretKey(sc.name);
    return keys;
}

QStringList Restore::productionKeys(const ConfigStore &config, const QString &target) {
    const auto profile = config.profile(target);
    return ProductionServers::secretKeys(config, profile ? profile->name : QString());
}

QStringList Restore::secretKeys(const ConfigStore &config, const Request &request) {
    return targetKeys(config, request.target, request.targetPassword.has_value());
}

QStringList Restore::storedSecretKeys(const ConfigStore &config, const Request &request) {
    return productionKeys(config, request.target);
}

QHash<QString, QString> Restore::storageSecrets(const UseCaseContext &ctx) {
    QHash<QString, QString> out;
    for (const StorageConfig &sc : ctx.config.storages())
        if (sc.isS3())
            out.insert(sc.name,
                       sc.accessKeyId.isEmpty() ? QString() : ctx.secret(CredentialStore::storageSecretKey(sc.name)));
    return out;
}

std::optional<RestoreJob::Request> Restore::jobRequest(Request request, const UseCaseContext &ctx, Error *error) {
    RestoreOptions &o = request.options;
    const auto target = resolveTarget(ctx.config, request.target, o.desktopWording, error);
    if (!target)
        return std::nullopt;
    o.targetConninfo = target->conninfo;
    o.targetProfile = target->profile;
    o.targetProduction = target->production;
    o.postRestoreCommand = target->postRestoreCommand;

    RestoreJob::Request req;
    req.source = request.source;
    req.options = o;
    if (request.targetPassword)
        req.password = *request.targetPassword;
    else if (!target->profile.isEmpty())
        req.password = ctx.secret(CredentialStore::profilePasswordKey(target->profile));
    req.catalog = ctx.catalog;
    req.storages = ctx.config.storages();
    req.storageSecrets = storageSecrets(ctx); // resolved before the job runs: it must not ask from its thread
    req.identities = std::move(request.identities);
    req.pgToolDir = ctx.pgToolDir();
    // The production safety backup goes to the target profile's default storages, like any manual backup.
    if (target->production)
        if (const auto profile = ctx.config.profile(target->profile))
            req.safetyBackup = SafetyBackup::factory(*profile, req.password, req.storages, req.storageSecrets,
                                                     req.catalog, req.pgToolDir);
    // A target that reaches a production profile's server — however it is spelled — gets production treatment:
    // the job compares server identities (system identifier and port) and takes that profile's safety backup.
    req.productionServers =
        ProductionServers::forTarget(ctx.config, target->profile, ctx.secrets, req.storageSecrets, req.catalog);
    return req;
}

PreparedJob Restore::prepare(Request request, const UseCaseContext &ctx) {
    Error error;
    auto req = jobRequest(std::move(request), ctx, &error);
    if (!req)
        return PreparedJob::failed(error.code, error.message);
    PreparedJob p;
    p.job = std::make_unique<RestoreJob>(std::move(*req));
    p.finished = [](const JobResult &) {}; // a restore is recorded by the job itself (its safety backup, audit)
    return p;
}

} // namespace lifeboat
