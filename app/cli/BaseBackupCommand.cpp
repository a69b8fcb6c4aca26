#include "BaseBackupCommand.h"

#include "ArgParser.h"
#include "CliAutomation.h"
#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSecrets.h"
#include "FilesCommand.h"
#include "schedule/DueRunner.h"

#include "jobs/StallWatch.h"
#include "pitr/BaseBackupJob.h"

using namespace lifeboat;

int BaseBackupCommand::run(CliContext &ctx, const ArgParser &p) {
    const auto profile = ctx.config().profile(p.positional().first());
    if (!profile)
        return ctx.usage(
            QStringLiteral("unknown profile \"%1\" (see `lifeboatctl profile list`)").arg(p.positional().first()));
    if (p.isSet(QStringLiteral("password-stdin")) && p.isSet(QStringLiteral("passphrase-stdin")))
        return ctx.usage(QStringLiteral(
            "--password-stdin and --passphrase-stdin both read stdin; use --secret-env for the password"));

    BaseBackupJob::Request req;
    req.profile = *profile;
    if (int rc = FilesCommand::parseType(ctx, p, &req.type))
        return rc;
    req.label = p.value(QStringLiteral("label"));
    if (int rc = FilesCommand::recipients(ctx, p, profile->recipients, &req.encryptTo))
        return rc;
    const QStringList storages =
        p.isSet(QStringLiteral("storage")) ? p.values(QStringLiteral("storage")) : profile->defaultStorages;
    if (int rc = FilesCommand::openStores(ctx, storages, &req.stores))
        return rc;
    CliSecrets secrets(ctx);
    req.password = secrets.profilePassword(profile->name, p.isSet(QStringLiteral("password-stdin")),
                                           p.value(QStringLiteral("secret-env")));
    req.catalog = ctx.catalog();
    req.pgToolDir = ctx.config().option(QStringLiteral("pgToolDir"));
    auto job = std::make_unique<BaseBackupJob>(std::move(req));
    const auto stallWatch = CliAutomation::watchStalls(ctx, job.get(), profile->name,
                                                       QStringLiteral("base backup of %1").arg(profile->name));
    const JobResult r = CliJobRunner(ctx, p.isSet(QStringLiteral("verbose"))).run(std::move(job));
    CliAutomation::notify(ctx, DueRunner::notification(profile->name, {}, r.recordId, r.error, r.details));
    return FilesCommand::printBackupResult(ctx, r);
}

QList<CliCommand> BaseBackupCommand::commands() {
    return {
        {QStringLiteral("basebackup"),
         {},
         QStringLiteral("PROFILE [--storage NAME]... [--recipient AGE_PUBKEY]... [--passphrase-stdin] "
                        "[--password-stdin | --secret-env VAR] [--type T] [--label TEXT]"),
         1,
         1,
         &run,
         CliOptions{{QStringLiteral("storage"),
                     QStringLiteral("Write to this storage (repeatable; default: the profile's)."),
                     QStringLiteral("NAME")}} +
             FilesCommand::encryptionOptions() +
             CliOptions{
                 {QStringLiteral("password-stdin"), QStringLiteral("Read the database password from stdin.")},
                 {QStringLiteral("secret-env"),
                  QStringLiteral("Read the database password from this environment variable."), QStringLiteral("VAR")},
                 {QStringLiteral("type"), QStringLiteral("manual (default), daily, weekly or monthly."),
                  QStringLiteral("T")},
                 {QStringLiteral("label"), QStringLiteral("A label, e.g. before-upgrade."), QStringLiteral("TEXT")},
                 {QStringLiteral("verbose"), QStringLiteral("Show pg_basebackup's log.")}}}};
}
