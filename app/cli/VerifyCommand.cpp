#include "VerifyCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSecrets.h"
#include "RestoreCliSupport.h"

#include "ops/Restore.h"
#include "ops/Verify.h"
#include "restore/VerifyReport.h"
#include "secrets/MemoryCredentialStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace lifeboat;

static int run(CliContext &ctx, const ArgParser &p) {
    const QString report = p.value(QStringLiteral("report"));
    if (!report.isEmpty() && !report.endsWith(QLatin1String(".json")) && !report.endsWith(QLatin1String(".html")))
        return ctx.usage(QStringLiteral("--report takes a path ending in .json or .html"));

    int rc = 0;
    auto identities = RestoreCliSupport::identities(ctx, p, &rc);
    if (!identities)
        return rc;
    // The server defaults to the one the backup came from (its profile).
    const bool sandbox = p.isSet(QStringLiteral("sandbox"));
    if (sandbox && p.isSet(QStringLiteral("target")))
        return ctx.usage(QStringLiteral("--sandbox and --target exclude each other"));
    Verify::Request request;
    request.source = p.positional().first();
    request.target = p.value(QStringLiteral("target"));
    request.sandbox = sandbox;
    request.requireSigned = p.isSet(QStringLiteral("require-signed"));
    request.identities = std::move(*identities);
    MemoryCredentialStore none;
    if (request.target.isEmpty() && !sandbox) {
        Error err;
        request.target = Verify::defaultTarget(request.source, RestoreCliSupport::useCaseContext(ctx, &none), &err);
        if (request.target.isEmpty())
            return ctx.fail(err);
    }
    // The server is checked before any secret is read; then the secrets in the order lifeboatctl always read them.
    Error targetError;
    if (!sandbox && !Restore::resolveTarget(ctx.config(), request.target, false, &targetError))
        return ctx.fail(targetError);
    CliSecrets secrets(ctx);
    if (!sandbox)
        request.targetPassword = RestoreCliSupport::givenPassword(secrets, p);
    MemoryCredentialStore known =
        RestoreCliSupport::readSecrets(secrets, Verify::secretKeys(ctx.config(), request), {});
    PreparedJob prepared = Verify::prepare(std::move(request), RestoreCliSupport::useCaseContext(ctx, &known));
    if (!prepared)
        return ctx.fail(prepared.error);
    const JobResult r = CliJobRunner(ctx, p.isSet(QStringLiteral("verbose"))).run(std::move(prepared.job));
    prepared.finished(r);

    const QJsonObject rep = r.details;
    if (!rep.isEmpty()) {
        if (const QString copy = rep.value(QStringLiteral("copy")).toString(); !copy.isEmpty())
            ctx.err() << "  " << copy << Qt::endl;
        if (const QString sig = rep.value(QStringLiteral("manifestSignature")).toString(); !sig.isEmpty())
            ctx.err() << "  Manifest: " << sig << Qt::endl;
        for (const QJsonValue &v : rep.value(QStringLiteral("checks")).toArray()) {
            const QJsonObject c = v.toObject();
            ctx.err() << "  [" << c.value(QStringLiteral("outcome")).toString().leftJustified(7) << "] "
                      << c.value(QStringLiteral("title")).toString() << ": "
                      << c.value(QStringLiteral("summary")).toString() << Qt::endl;
            for (const QJsonValue &f : c.value(QStringLiteral("failures")).toArray())
                ctx.err() << "      " << f.toString() << Qt::endl;
        }
        if (!report.isEmpty()) {
            QSaveFile f(report);
            const QByteArray bytes = report.endsWith(QLatin1String(".html"))
                                         ? VerifyReport::fromJson(rep).toHtml().toUtf8()
                                         : QJsonDocument(rep).toJson(QJsonDocument::Indented);
            if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
                return ctx.usage(QStringLiteral("cannot write the report to %1: %2").arg(report, f.errorString()));
            ctx.err() << "Report written to " << report << Qt::endl;
        }
    }
    if (!r.ok())
        return ctx.fail(r.error);
    if (ctx.json()) {
        QJsonObject d = rep;
        d[QStringLiteral("ok")] = true;
        ctx.printJson(d);
    } else {
        ctx.err() << "Verification passed." << Qt::endl;
    }
    return 0;
}

QList<CliCommand> VerifyCommand::commands() {
    return {
        {QStringLiteral("verify"),
         {},
         QStringLiteral("ID|FILE [--report PATH.json|PATH.html] [--target PROFILE|URI | --sandbox] [--identity FILE] "
                        "[--passphrase-stdin]"),
         1,
         1,
         &run,
         cliOptions(R"(
--report PATH  Write the report here: .json or .html (self-contained).
--target PROFILE|URI  Server for the temporary database: a profile or URI (default: the backup's profile).
--sandbox  Verify on a throwaway local cluster (initdb) instead of a server.
--verbose  Show pg_restore's log.
--require-signed  Refuse (exit 4) a backup whose manifest is unsigned or signed by a key the catalog does not know.)") +
             RestoreCliSupport::identityOptions() + RestoreCliSupport::passwordOptions()}};
}
