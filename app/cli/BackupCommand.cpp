#include "BackupCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliUseCase.h"

#include "ops/BackupSteps.h"
#include "ops/DatabaseBackup.h"

#include <QJsonObject>
#include <QLocale>

using namespace lifeboat;

static int run(CliContext &ctx, const ArgParser &p) {

    DatabaseBackup::Request req;
    req.profile = p.positional().first();
    BackupOptions &o = req.options;
    if (p.isSet(QStringLiteral("format")))
        o.format = p.value(QStringLiteral("format"));
    if (p.isSet(QStringLiteral("jobs"))) {
        bool ok = false;
        o.jobs = p.value(QStringLiteral("jobs")).toInt(&ok);
        if (!ok || o.jobs < 1 || o.jobs > 64)
            return ctx.usage(QStringLiteral("--jobs takes a number from 1 to 64"));
    }
    o.compression = p.value(QStringLiteral("compress"));
    o.tables = p.values(QStringLiteral("tables"));
    o.excludeTables = p.values(QStringLiteral("exclude-tables"));
    o.schemaOnly = p.isSet(QStringLiteral("schema-only"));
    o.label = p.value(QStringLiteral("label"));
    const QString type = p.value(QStringLiteral("type")).toUpper();
    if (!type.isEmpty()) {
        if (type != QLatin1String("MANUAL") && type != QLatin1String("DAILY") && type != QLatin1String("WEEKLY") &&
            type != QLatin1String("MONTHLY"))
            return ctx.usage(QStringLiteral("--type takes manual, daily, weekly or monthly"));
        o.type = type;
    }
    if (p.isSet(QStringLiteral("password-stdin")) && p.isSet(QStringLiteral("passphrase-stdin")))
        return ctx.usage(QStringLiteral(
            "--password-stdin and --passphrase-stdin both read stdin; use --secret-env for the password"));
    if (p.isSet(QStringLiteral("recipient")))
        req.recipients = p.values(QStringLiteral("recipient"));
    if (p.isSet(QStringLiteral("keep-days"))) {
        bool ok = false;
        req.keepDays = p.value(QStringLiteral("keep-days")).toInt(&ok);
        if (!ok || req.keepDays < 1)
            return ctx.usage(QStringLiteral("--keep-days takes a number of days from 1 to 36500"));
    }
    req.storages = p.values(QStringLiteral("storage"));

    req.passphrase = p.isSet(QStringLiteral("passphrase-stdin"));

    CliUseCase useCase(ctx);
    useCase.redirect(BackupSteps::passphraseKey(), req.passphrase, {});
    useCase.redirect(CredentialStore::profilePasswordKey(req.profile), p.isSet(QStringLiteral("password-stdin")),
                     p.value(QStringLiteral("secret-env")));
    PreparedJob prepared = DatabaseBackup::prepare(useCase.context(), req);
    if (!prepared)
        return ctx.fail(prepared.error);
    const JobResult r = useCase.run(std::move(prepared), p.isSet(QStringLiteral("verbose")));
    if (!r.ok())
        return ctx.fail(r.error);
    if (ctx.json()) {
        QJsonObject d = r.details;
        d[QStringLiteral("ok")] = true;
        ctx.printJson(d);
    } else {
        ctx.err() << "Backup #" << r.recordId << " complete: " << r.details.value(QStringLiteral("filename")).toString()
                  << " (" << QLocale().formattedDataSize(r.details.value(QStringLiteral("size")).toInteger()) << ")"
                  << Qt::endl;
        ctx.out() << r.recordId << Qt::endl;
    }
    return 0;
}

QList<CliCommand> BackupCommand::commands() {
    return {{QStringLiteral("backup"),
             {},
             QStringLiteral("PROFILE [--storage NAME]... [--format custom|plain|directory] [--jobs N] "
                            "[--compress zstd[:L]|none|gzip[:L]|pg:gzip[:L]|pg:zstd[:L]|pg:lz4[:L]] [--tables T,..] "
                            "[--exclude-tables T,..] "
                            "[--schema-only] [--recipient AGE_PUBKEY]... [--passphrase-stdin] "
                            "[--type manual|daily|weekly|monthly] [--label TEXT] [--keep-days N]"),
             1,
             1,
             &run,
             cliOptions(R"(
--storage NAME  Write to this storage (repeatable; default: the profile's).
--format F  custom (default), plain or directory.
--jobs N  Parallel dump jobs (directory format).
--compress C  zstd[:L] (default; Lifeboat compresses, .zst), none, gzip[:L] (plain: Lifeboat's .sql.gz; else
    pg_dump's), or pg_dump's own pg:gzip[:L], pg:zstd[:L], pg:lz4[:L] (zstd/lz4: pg_dump 16+).
--tables T  Only these tables (schema.table, comma-separated).
--exclude-tables T  Leave these tables out.
--schema-only  Dump the schema, no data.
--recipient AGE  Encrypt to this age recipient (repeatable).
--passphrase-stdin  Encrypt with a passphrase read from stdin (age scrypt).
--type T  manual (default), daily, weekly or monthly.
--label TEXT  A label, e.g. pre-migration.
--keep-days N  Manual backups: retention deletes it N days after it started (default: kept until deleted).
--password-stdin  Read the database password from stdin.
--secret-env VAR  Read the database password from this environment variable.
--verbose  Show pg_dump's log.)")}};
}
