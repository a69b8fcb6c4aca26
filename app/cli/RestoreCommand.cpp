#include "RestoreCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSecrets.h"
#include "RestoreCliSupport.h"

#include "ops/Restore.h"
#include "restore/RestoreSource.h"
#include "secrets/MemoryCredentialStore.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace lifeboat;

static int run(CliContext &ctx, const ArgParser &p) {
    // A file, Redis or mirror backup is refused before anything else, with the command that restores it (an
    // unknown id or unreadable file is left to the job, which reports it with its checks).
    {
        Error err;
        const auto src = RestoreSource::open(p.positional().first(), ctx.catalog().get(), {}, &err);
        if (src)
            if (const Error e = src->requireDatabase())
                return ctx.fail(e);
    }
    if (!p.isSet(QStringLiteral("target")) || p.value(QStringLiteral("target-db")).isEmpty())
        return ctx.usage(QStringLiteral("restore needs --target PROFILE|URI and --target-db NAME"));
    if (p.isSet(QStringLiteral("data-only")) && p.isSet(QStringLiteral("schema-only")))
        return ctx.usage(QStringLiteral("--data-only and --schema-only exclude each other"));

    int rc = 0;
    auto identities = RestoreCliSupport::identities(ctx, p, &rc);
    if (!identities)
        return rc;
    Restore::Request request;
    request.source = p.positional().first();
    request.target = p.value(QStringLiteral("target"));
    RestoreOptions &o = request.options;
    o.targetDb = p.value(QStringLiteral("target-db"));
    o.create = p.isSet(QStringLiteral("create"));
    o.clean = p.isSet(QStringLiteral("clean"));
    o.dataOnly = p.isSet(QStringLiteral("data-only"));
    o.schemaOnly = p.isSet(QStringLiteral("schema-only"));
    o.tables = p.values(QStringLiteral("tables"));
    o.jobs = RestoreOptions::kAutoJobs; // the job chooses (RestoreEngine::autoJobs) unless --jobs says
    if (p.isSet(QStringLiteral("jobs"))) {
        bool ok = false;
        o.jobs = p.value(QStringLiteral("jobs")).toInt(&ok);
        if (!ok || o.jobs < 1 || o.jobs > 64)
            return ctx.usage(QStringLiteral("--jobs takes a number from 1 to 64"));
    }
    o.dryRun = p.isSet(QStringLiteral("dry-run"));
    o.confirm = p.value(QStringLiteral("confirm"));
    o.noSafetyBackup = p.isSet(QStringLiteral("no-safety-backup"));
    o.terminateConnections = p.isSet(QStringLiteral("terminate-connections"));
    o.noAcl = p.isSet(QStringLiteral("no-acl"));
    o.noOwner = !p.isSet(QStringLiteral("keep-owner"));
    o.createMissingRoles = p.isSet(QStringLiteral("create-missing-roles"));
    o.requireSigned = p.isSet(QStringLiteral("require-signed"));
    o.checkRowCounts = true;
    request.identities = std::move(*identities);

    // The target is checked before any secret is read; then the secrets in the order lifeboatctl always read them.
    Error targetError;
    if (!Restore::resolveTarget(ctx.config(), request.target, false, &targetError))
        return ctx.fail(targetError);
    CliSecrets secrets(ctx);
    request.targetPassword = RestoreCliSupport::givenPassword(secrets, p);
    MemoryCredentialStore known = RestoreCliSupport::readSecrets(secrets, Restore::secretKeys(ctx.config(), request),
                                                                 Restore::storedSecretKeys(ctx.config(), request));
    const RestoreOptions opts = o; // the request is moved into the job
    PreparedJob prepared = Restore::prepare(std::move(request), RestoreCliSupport::useCaseContext(ctx, &known));
    if (!prepared)
        return ctx.fail(prepared.error);

    const JobResult r = CliJobRunner(ctx, p.isSet(QStringLiteral("verbose"))).run(std::move(prepared.job));
    prepared.finished(r);
    RestoreCliSupport::printChecks(ctx, r.details.value(QStringLiteral("checks")).toArray());
    const QJsonObject restore = r.details.value(QStringLiteral("restore")).toObject();
    // The summary first, then each message.
    if (!r.ok())
        ctx.err() << "lifeboatctl: " << r.error.message << Qt::endl;
    const QJsonArray errors = restore.value(QStringLiteral("errors")).toArray();
    if (!errors.isEmpty()) {
        ctx.err() << "Errors (" << errors.size() << "):" << Qt::endl;
        for (const QJsonValue &e : errors)
            ctx.err() << "  " << e.toString() << Qt::endl;
    }
    const QJsonArray warnings = restore.value(QStringLiteral("warnings")).toArray();
    if (!warnings.isEmpty()) {
        // Known-benign --clean errors on partitioned tables, and what the script filter skipped or redirected.
        ctx.err() << "Warnings (" << warnings.size() << "):" << Qt::endl;
        for (const QJsonValue &w : warnings)
            ctx.err() << "  " << w.toString() << Qt::endl;
    }
    const QJsonObject rowCounts = r.details.value(QStringLiteral("rowCounts")).toObject();
    if (!rowCounts.isEmpty() && !ctx.json()) {
        ctx.err() << "Row counts against the manifest: " << rowCounts.value(QStringLiteral("summary")).toString()
                  << Qt::endl;
        for (const QJsonValue &f : rowCounts.value(QStringLiteral("failures")).toArray())
            ctx.err() << "  " << f.toString() << Qt::endl;
    }
    if (!r.ok()) {
        if (ctx.json()) {
            QJsonObject d = r.details;
            d[QStringLiteral("ok")] = false;
            d[QStringLiteral("exitCode")] = toInt(r.error.code);
            d[QStringLiteral("error")] = r.error.message;
            ctx.printJson(d);
        }
        return toInt(r.error.code);
    }
    if (opts.dryRun) {
        const QJsonObject plan = r.details.value(QStringLiteral("plan")).toObject();
        QTextStream &s = ctx.json() ? ctx.err() : ctx.out();
        s << "Dry run — nothing was changed. A real run would:" << Qt::endl;
        const QJsonObject roles = r.details.value(QStringLiteral("roles")).toObject();
        const QJsonArray newRoles = roles.value(QStringLiteral("create")).toArray();
        if (!newRoles.isEmpty()) {
            s << "  create " << newRoles.size() << " role(s):";
            for (const QJsonValue &v : newRoles)
                s << ' ' << v.toString();
            s << Qt::endl;
        }
        s << (opts.create ? "  create database " : "  restore into existing database ") << opts.targetDb << Qt::endl;
        const QJsonArray drop = plan.value(QStringLiteral("drop")).toArray();
        if (!drop.isEmpty()) {
            s << "  drop (if they exist) and recreate " << drop.size() << " object(s):" << Qt::endl;
            for (const QJsonValue &d : drop)
                s << "    " << d.toString() << Qt::endl;
        }
        const QJsonArray items = plan.value(QStringLiteral("restore")).toArray();
        s << "  restore " << items.size() << " item(s):" << Qt::endl;
        for (const QJsonValue &v : items) {
            const QJsonObject e = v.toObject();
            s << "    " << e.value(QStringLiteral("type")).toString() << ' '
              << (e.value(QStringLiteral("schema")).toString().isEmpty()
                      ? QString()
                      : e.value(QStringLiteral("schema")).toString() + QLatin1Char('.'))
              << e.value(QStringLiteral("name")).toString();
            if (e.contains(QStringLiteral("rows")))
                s << " (" << e.value(QStringLiteral("rows")).toInteger() << " rows)";
            s << Qt::endl;
        }
    }
    if (ctx.json()) {
        QJsonObject d = r.details;
        d[QStringLiteral("ok")] = true;
        ctx.printJson(d);
    } else if (!opts.dryRun) {
        const QJsonObject roles = r.details.value(QStringLiteral("roles")).toObject();
        if (opts.createMissingRoles) {
            auto names = [&](const QString &key) {
                QStringList l;
                for (const QJsonValue &v : roles.value(key).toArray())
                    l << v.toString();
                return l.isEmpty() ? QStringLiteral("none") : l.join(QStringLiteral(", "));
            };
            ctx.err() << "Roles created: " << names(QStringLiteral("create")) << Qt::endl;
            ctx.err() << "Roles already there, left alone: " << names(QStringLiteral("existing")) << Qt::endl;
        }
        ctx.err() << "Restore into \"" << opts.targetDb
                  << "\" complete: " << restore.value(QStringLiteral("itemsDone")).toInt() << " item(s)." << Qt::endl;
    }
    return 0;
}

QList<CliCommand> RestoreCommand::commands() {
    return {{QStringLiteral("restore"),
             {},
             QStringLiteral("ID|FILE --target PROFILE|URI --target-db NAME [--create] [--clean] "
                            "[--data-only|--schema-only] [--tables T,..] [--jobs N] [--dry-run] [--confirm NAME] "
                            "[--no-safety-backup] [--terminate-connections] [--no-acl] [--keep-owner] "
                            "[--create-missing-roles] [--identity FILE] [--passphrase-stdin]"),
             1,
             1,
             &run,
             cliOptions(R"(
--target PROFILE|URI  Target server: a profile name or a connection URI.
--target-db NAME  Database to restore into.
--create  Create the target database (it must not exist).
--clean  Drop the backup's objects before recreating them (--if-exists).
--data-only  Restore data only.
--schema-only  Restore the schema only.
--tables T  Only these tables (schema.table), each with its data, indexes, constraints, triggers and sequences.
--jobs N  Parallel pg_restore jobs (default: 2 for a whole unencrypted custom or directory archive with two or more
    tables, when the scratch disk has room; 1 streams).
--dry-run  Run the checks and print the plan; change nothing.
--confirm NAME  The target database's name, typed to confirm a restore into an existing database.
--no-safety-backup  Skip the safety backup of a production target (needs --confirm).
--terminate-connections  End other sessions on the target database.
--no-acl  Do not restore privileges (GRANT/REVOKE).
--keep-owner  Restore object ownership (default: --no-owner).
--create-missing-roles  First create the roles the target server lacks, from the roles the backup keeps (profile
    --globals); existing roles are left alone and listed.
--verbose  Show pg_restore's log.
--require-signed  Refuse (exit 4) a backup whose manifest is unsigned or signed by a key the catalog does not know.)") +
                 RestoreCliSupport::identityOptions() + RestoreCliSupport::passwordOptions()}};
}
