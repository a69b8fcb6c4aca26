#include "BaseBackupCommand.h"

#include "ArgParser.h"
#include "CliAutomation.h"
#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSecrets.h"
#include "CliUseCase.h"
#include "FilesCommand.h"
#include "ops/BackupSteps.h"
#include "ops/BaseBackup.h"
#include "schedule/DueRunner.h"

#include "jobs/StallWatch.h"
#include "pitr/BaseBackupJob.h"

using namespace lifeboat;

static int run(CliContext &ctx, const ArgParser &p) {
    if (p.isSet(QStringLiteral("password-stdin")) && p.isSet(QStringLiteral("passphrase-stdin")))
        return ctx.usage(QStringLiteral(
            "--password-stdin and --passphrase-stdin both read stdin; use --secret-env for the password"));
    BaseBackup::Request req;
    req.profile = p.positional().first();
    if (int rc = FilesCommand::parseType(ctx, p, &req.type))
        return rc;
    req.label = p.value(QStringLiteral("label"));
    if (p.isSet(QStringLiteral("recipient")))
        req.recipients = p.values(QStringLiteral("recipient"));
    req.passphrase = p.isSet(QStringLiteral("passphrase-stdin"));
    req.storages = p.values(QStringLiteral("storage"));
    CliUseCase useCase(ctx);
    useCase.redirect(BackupSteps::passphraseKey(), req.passphrase, {});
    useCase.redirect(CredentialStore::profilePasswordKey(req.profile), p.isSet(QStringLiteral("password-stdin")),
                     p.value(QStringLiteral("secret-env")));
    PreparedJob prepared = BaseBackup::prepare(useCase.context(), req);
    if (!prepared)
        return ctx.fail(prepared.error);
    const JobResult r = useCase.run(std::move(prepared), p.isSet(QStringLiteral("verbose")));
    return FilesCommand::printBackupResult(ctx, r);
}

QList<CliCommand> BaseBackupCommand::commands() {
    return {{QStringLiteral("basebackup"),
             {},
             QStringLiteral("PROFILE [--storage NAME]... [--recipient AGE_PUBKEY]... [--passphrase-stdin] "
                            "[--password-stdin | --secret-env VAR] [--type T] [--label TEXT]"),
             1,
             1,
             &run,
             cliOptions(R"(
--storage NAME  Write to this storage (repeatable; default: the profile's).)") +
                 FilesCommand::encryptionOptions() + cliOptions(R"(
--password-stdin  Read the database password from stdin.
--secret-env VAR  Read the database password from this environment variable.
--type T  manual (default), daily, weekly or monthly.
--label TEXT  A label, e.g. before-upgrade.
--verbose  Show pg_basebackup's log.)")}};
}
