#include "ops/Verify.h"

#include "ops/Restore.h"
#include "restore/RestoreSource.h"

namespace lifeboat {

QString Verify::defaultTarget(const QString &source, const UseCaseContext &ctx, Error *error) {
    const auto src = RestoreSource::open(source, ctx.catalog.get(), {}, error);
    if (!src)
        return {};
    if (const Error e = src->requireDatabase(QStringLiteral("verify"))) {
        *error = e;
        return {};
    }
    const QString profile = src->record().profile;
    if (profile.isEmpty() || !ctx.config.profile(profile)) {
        *error = {ExitCode::Usage, QStringLiteral("no profile known for %1 — pass --target PROFILE|URI for the "
                                                  "server that hosts the temporary database")
                                       .arg(source)};
        return {};
    }
    return profile;
}

QStringList Verify::secretKeys(const ConfigStore &config, const Request &request) {
    // A sandbox needs no target password.
    return Restore::targetKeys(config, request.target, request.sandbox || request.targetPassword.has_value());
}

std::optional<VerifyJob::Request> Verify::jobRequest(Request request, const UseCaseContext &ctx, Error *error) {
    VerifyJob::Request req;
    req.source = request.source;
    req.sandbox = request.sandbox;
    if (!request.sandbox) {
        const auto target = Restore::resolveTarget(ctx.config, request.target, false, error);
        if (!target)
            return std::nullopt;
        req.serverConninfo = target->conninfo;
        if (request.targetPassword)
            req.password = *request.targetPassword;
        else if (!target->profile.isEmpty())
            req.password = ctx.secret(CredentialStore::profilePasswordKey(target->profile));
    }
    req.catalog = ctx.catalog;
    req.storages = ctx.config.storages();
    req.storageSecrets = Restore::storageSecrets(ctx); // resolved before the job runs
    req.identities = std::move(request.identities);
    req.pgToolDir = ctx.pgToolDir();
    req.requireSigned = request.requireSigned;
    return req;
}

PreparedJob Verify::prepare(Request request, const UseCaseContext &ctx) {
    Error error;
    auto req = jobRequest(std::move(request), ctx, &error);
    if (!req)
        return PreparedJob::failed(error.code, error.message);
    PreparedJob p;
    p.job = std::make_unique<VerifyJob>(std::move(*req));
    p.finished = [](const JobResult &) {}; // the job records its verification itself
    return p;
}

PreparedJob Verify::drill(const DueRunner &runner, const DueRunner::Claim &claim, const DueRunner::Secrets &lookups,
                          const IdentitiesFor &identitiesFor) {
    VerifyJob::Request req;
    if (const Error e = runner.buildVerifyRequest(claim, req, lookups))
        return PreparedJob::failed(e.code, e.message);
    // A drill of an encrypted backup opens it with a key this installation keeps (DrillIdentities).
    QString missing;
    if (identitiesFor)
        req.identities = identitiesFor(req.source.toLongLong(), &missing);
    if (!missing.isEmpty())
        return PreparedJob::failed(ExitCode::Usage,
                                   QStringLiteral("drill \"%1\": %2").arg(claim.schedule.name, missing));
    PreparedJob p;
    p.job = std::make_unique<VerifyJob>(std::move(req));
    p.finished = [](const JobResult &) {}; // DueRunner::finish records the drill's outcome
    return p;
}

} // namespace lifeboat
