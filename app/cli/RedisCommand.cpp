#include "RedisCommand.h"

#include "ArgParser.h"
#include "CliAutomation.h"
#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSecrets.h"
#include "CliUseCase.h"
#include "FilesCommand.h"
#include "NamedThings.h"
#include "ops/BackupSteps.h"
#include "ops/RedisBackup.h"
#include "schedule/DueRunner.h"

#include "jobs/StallWatch.h"
#include "redis/RedisBackupJob.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

using namespace lifeboat;

static int add(CliContext &ctx, const ArgParser &p) {
    RedisSourceConfig r;
    r.name = p.positional().first();
    if (!ConfigStore::isValidName(r.name))
        return ctx.usage(QStringLiteral("invalid source name \"%1\" (letters, digits, . _ -; up to 63)").arg(r.name));
    QString why;
    const RedisUrl url = RedisUrl::parse(p.value(QStringLiteral("url")), &why);
    if (!url.isValid())
        return ctx.usage(QStringLiteral("--url: %1").arg(why));
    r.url = url.display(); // never the password
    int level = -1;
    if (int rc = FilesCommand::parseCompression(ctx, p.value(QStringLiteral("compress")), &r.compression, &level))
        return rc;
    r.storages = p.values(QStringLiteral("storage"));
    for (const QString &s : std::as_const(r.storages)) {
        if (!ctx.config().storage(s))
            return ctx.usage(QStringLiteral("unknown storage \"%1\" (see `lifeboatctl storage list`)").arg(s));
    }
    r.recipients = p.values(QStringLiteral("recipient"));
    for (const QString &k : std::as_const(r.recipients)) {
        if (!AgeRecipient::parse(k, &why))
            return ctx.usage(QStringLiteral("--recipient: %1").arg(why));
    }
    r.caFile = p.value(QStringLiteral("ca-file"));
    if (!r.caFile.isEmpty())
        r.caFile = QFileInfo(r.caFile).absoluteFilePath();
    r.rdbPath = p.value(QStringLiteral("rdb-path"));
    QString password = url.password();
    if (!password.isEmpty())
        ctx.err() << "lifeboatctl: warning: the password was on the command line (visible to other users in the "
                     "process list); prefer --password-stdin"
                  << Qt::endl;
    if (p.isSet(QStringLiteral("password-stdin")))
        password = CliContext::readSecretFromStdin();
    if (!password.isEmpty()) {
        CliSecrets secrets(ctx);
        if (!secrets.store(RedisSourceConfig::passwordKey(r.name), password))
            return ctx.fail(ExitCode::Usage,
                            QStringLiteral("Redis source \"%1\" not saved: %2").arg(r.name, secrets.lastMessage()));
    }
    ctx.config().upsertRedisSource(r);
    if (!ctx.saveConfig())
        return 3;
    ctx.err() << "Redis source \"" << r.name << "\" saved (" << r.url << ")" << Qt::endl;
    return 0;
}

static int list(CliContext &ctx, const ArgParser &) {
    return NamedThings::list(ctx, ctx.config().redisSources(), [](const RedisSourceConfig &r) {
        return NamedThings::Row{
            {{QStringLiteral("name"), r.name},
             {QStringLiteral("url"), r.url},
             {QStringLiteral("compression"), r.compression},
             {QStringLiteral("storages"), QJsonArray::fromStringList(r.storages)},
             {QStringLiteral("encrypted"), !r.recipients.isEmpty()}},
            QStringList{r.name, r.url, r.compression, r.storages.join(QLatin1Char(','))}.join(QLatin1Char('\t'))};
    });
}

static int remove(CliContext &ctx, const ArgParser &p) {
    return NamedThings::remove(ctx, p.positional().first(),
                               {[&ctx](const QString &name) {
                                    if (!ctx.config().removeRedisSource(name))
                                        return QStringLiteral("no Redis source \"%1\"").arg(name);
                                    CliSecrets(ctx).remove(RedisSourceConfig::passwordKey(name));
                                    return QString();
                                },
                                true,
                                {},
                                {},
                                false});
}

static int backup(CliContext &ctx, const ArgParser &p) {
    if (p.isSet(QStringLiteral("password-stdin")) && p.isSet(QStringLiteral("passphrase-stdin")))
        return ctx.usage(QStringLiteral("--password-stdin and --passphrase-stdin both read stdin; use --secret-env "
                                        "for the password"));
    RedisBackup::Request req;
    req.source = p.positional().first();
    if (p.isSet(QStringLiteral("url")))
        req.url = p.value(QStringLiteral("url"));
    if (int rc = FilesCommand::parseCompression(ctx, p.value(QStringLiteral("compress")), &req.compression, &req.level))
        return rc;
    if (int rc = FilesCommand::parseType(ctx, p, &req.type))
        return rc;
    req.label = p.value(QStringLiteral("label"));
    if (p.isSet(QStringLiteral("rdb-path")))
        req.rdbPath = p.value(QStringLiteral("rdb-path"));
    if (p.isSet(QStringLiteral("ca-file")))
        req.caFile = p.value(QStringLiteral("ca-file"));
    if (p.isSet(QStringLiteral("recipient")))
        req.recipients = p.values(QStringLiteral("recipient"));
    req.passphrase = p.isSet(QStringLiteral("passphrase-stdin"));
    req.storages = p.values(QStringLiteral("storage"));
    // The password: in the URL (discouraged), stdin, a named environment variable, or the credential store.
    req.passwordGiven = p.isSet(QStringLiteral("password-stdin")) || p.isSet(QStringLiteral("secret-env"));
    CliUseCase useCase(ctx);
    useCase.redirect(BackupSteps::passphraseKey(), req.passphrase, {});
    useCase.redirect(RedisSourceConfig::passwordKey(req.source), p.isSet(QStringLiteral("password-stdin")),
                     p.value(QStringLiteral("secret-env")));
    PreparedJob prepared = RedisBackup::prepare(useCase.context(), req);
    if (!prepared)
        return ctx.fail(prepared.error);
    const JobResult r = useCase.run(std::move(prepared), p.isSet(QStringLiteral("verbose")));
    return FilesCommand::printBackupResult(ctx, r);
}

QList<CliCommand> RedisCommand::commands() {
    return {{QStringLiteral("redis"), QStringLiteral("add"),
             QStringLiteral("NAME --url redis[s]://[USER@]HOST:PORT [--password-stdin] [--compress gzip|zstd|none] "
                            "[--storage NAME]... [--recipient AGE]... [--ca-file PEM] [--rdb-path FILE]"),
             1, 1, &add, cliOptions(R"(
--url URL  The server: redis://[USER@]HOST:PORT[/DB] or rediss:// for TLS.
--password-stdin  Read the password from stdin into the credential store.
--compress C  gzip (default), zstd or none.
--storage NAME  Default storage (repeatable).
--recipient AGE  Encrypt to this age recipient (repeatable).
--ca-file PEM  rediss://: CA certificate(s) of the server (PEM).
--rdb-path FILE  Same host only: read this dump.rdb after BGSAVE instead of fetching it with SYNC.)")},
            {QStringLiteral("redis"), QStringLiteral("list"), QString(), 0, 0, &list},
            {QStringLiteral("redis"), QStringLiteral("remove"), QStringLiteral("NAME"), 1, 1, &remove},
            {QStringLiteral("redis"), QStringLiteral("backup"),
             QStringLiteral("NAME [--url redis[s]://[USER@]HOST:PORT] [--password-stdin | --secret-env VAR] "
                            "[--storage NAME]... [--compress gzip|zstd|none[:L]] [--recipient AGE]... "
                            "[--passphrase-stdin] [--rdb-path FILE] [--ca-file PEM] [--type T] [--label TEXT]"),
             1, 1, &backup,
             cliOptions(R"(
--url URL  The server (default: the configured Redis source NAME's URL).
--password-stdin  Read the Redis password from stdin.
--secret-env VAR  Read the Redis password from this environment variable.
--storage NAME  Write to this storage (repeatable; default: the source's).
--compress C  gzip (default), zstd or none, optionally :LEVEL.)") +
                 FilesCommand::encryptionOptions() + cliOptions(R"(
--rdb-path FILE  Same host only: read this dump.rdb after BGSAVE instead of fetching it with SYNC.
--ca-file PEM  rediss://: CA certificate(s) of the server (PEM).
--type T  manual (default), daily, weekly or monthly.
--label TEXT  A label, e.g. before-upgrade.
--verbose  Show the job's log.)")}};
}
