#include "BackupCommand.h"

#include "ArgParser.h"
#include "CliAutomation.h"
#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSecrets.h"
#include "schedule/DueRunner.h"

#include "jobs/BackupJob.h"
#include "jobs/StallWatch.h"
#include "jobs/UnopenableStore.h"

#include <QJsonObject>
#include <QLocale>

using namespace lifeboat;

int BackupCommand::run(CliContext &ctx, const QStringList &args) {
    ArgParser p(QStringLiteral("backup"),
                QStringLiteral("PROFILE [--storage NAME]... [--format custom|plain|directory] [--jobs N] "
                               "[--compress zstd[:L]|none|gzip[:L]|pg:gzip[:L]|pg:zstd[:L]|pg:lz4[:L]] [--tables T,..] "
                               "[--exclude-tables T,..] "
                               "[--schema-only] [--recipient AGE_PUBKEY]... [--passphrase-stdin] "
                               "[--type manual|daily|weekly|monthly] [--label TEXT] [--keep-days N]"));
    p.option(QStringLiteral("storage"), QStringLiteral("Write to this storage (repeatable; default: the profile's)."),
             QStringLiteral("NAME"));
    p.option(QStringLiteral("format"), QStringLiteral("custom (default), plain or directory."), QStringLiteral("F"));
    p.option(QStringLiteral("jobs"), QStringLiteral("Parallel dump jobs (directory format)."), QStringLiteral("N"));
    p.option(QStringLiteral("compress"),
             QStringLiteral("zstd[:L] (default; Lifeboat compresses, .zst), none, gzip[:L] "
                            "(plain: Lifeboat's .sql.gz; else pg_dump's), or pg_dump's own "
                            "pg:gzip[:L], pg:zstd[:L], pg:lz4[:L] (zstd/lz4: pg_dump 16+)."),
             QStringLiteral("C"));
    p.option(QStringLiteral("tables"), QStringLiteral("Only these tables (schema.table, comma-separated)."),
             QStringLiteral("T"));
    p.option(QStringLiteral("exclude-tables"), QStringLiteral("Leave these tables out."), QStringLiteral("T"));
    p.flag(QStringLiteral("schema-only"), QStringLiteral("Dump the schema, no data."));
    p.option(QStringLiteral("recipient"), QStringLiteral("Encrypt to this age recipient (repeatable)."),
             QStringLiteral("AGE"));
    p.flag(QStringLiteral("passphrase-stdin"),
           QStringLiteral("Encrypt with a passphrase read from stdin (age scrypt)."));
    p.option(QStringLiteral("type"), QStringLiteral("manual (default), daily, weekly or monthly."),
             QStringLiteral("T"));
    p.option(QStringLiteral("label"), QStringLiteral("A label, e.g. pre-migration."), QStringLiteral("TEXT"));
    p.option(QStringLiteral("keep-days"),
             QStringLiteral("Manual backups: retention deletes it N days after it started (default: kept until "
                            "deleted)."),
             QStringLiteral("N"));
    p.flag(QStringLiteral("password-stdin"), QStringLiteral("Read the database password from stdin."));
    p.option(QStringLiteral("secret-env"), QStringLiteral("Read the database password from this environment variable."),
             QStringLiteral("VAR"));
    p.flag(QStringLiteral("verbose"), QStringLiteral("Show pg_dump's log."));
    if (auto rc = p.parse(ctx, args, 1, 1))
        return *rc;

    const auto profile = ctx.config().profile(p.positional().first());
    if (!profile)
        return ctx.usage(
            QStringLiteral("unknown profile \"%1\" (see `lifeboatctl profile list`)").arg(p.positional().first()));

    BackupJob::Request req;
    req.profile = *profile;
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
    const QStringList recipients =
        p.isSet(QStringLiteral("recipient")) ? p.values(QStringLiteral("recipient")) : profile->recipients;
    if (p.isSet(QStringLiteral("passphrase-stdin")) && !recipients.isEmpty())
        return ctx.usage(QStringLiteral("age allows a passphrase only on its own: drop --recipient (or the "
                                        "profile's recipients) or --passphrase-stdin"));
    for (const QString &r : recipients) {
        QString why;
        const auto rec = AgeRecipient::parse(r, &why);
        if (!rec)
            return ctx.usage(QStringLiteral("--recipient: %1").arg(why));
        req.encryptTo.push_back(*rec);
    }
    if (p.isSet(QStringLiteral("passphrase-stdin"))) {
        const QString pass = CliContext::readSecretFromStdin();
        if (pass.isEmpty())
            return ctx.usage(QStringLiteral("--passphrase-stdin: no passphrase on stdin"));
        req.encryptTo.push_back(AgeRecipient::passphrase(pass.toUtf8()));
    }

    int keepDays = 0;
    if (p.isSet(QStringLiteral("keep-days"))) {
        bool ok = false;
        keepDays = p.value(QStringLiteral("keep-days")).toInt(&ok);
        if (!ok || keepDays < 1 || keepDays > 36500)
            return ctx.usage(QStringLiteral("--keep-days takes a number of days from 1 to 36500"));
        if (o.type != QLatin1String("MANUAL"))
            return ctx.usage(QStringLiteral("--keep-days is for manual backups; scheduled types follow the retention "
                                            "policy"));
    }

    const QStringList storageNames =
        p.isSet(QStringLiteral("storage")) ? p.values(QStringLiteral("storage")) : profile->defaultStorages;
    if (storageNames.isEmpty())
        return ctx.usage(QStringLiteral("no storage given and profile \"%1\" has no default — pass --storage NAME")
                             .arg(profile->name));
    CliSecrets secrets(ctx);
    for (const QString &name : storageNames) {
        const auto sc = ctx.config().storage(name);
        if (!sc)
            return ctx.usage(QStringLiteral("unknown storage \"%1\" (see `lifeboatctl storage list`)").arg(name));
        // A storage that cannot be opened (no credentials…) fails the job at its start, so the attempt is recorded
        // FAILED with the reason, as in the app, instead of leaving no trace.
        req.stores.push_back(UnopenableStore::create(*sc, secrets.storageSecret(name)));
    }
    req.password = secrets.profilePassword(profile->name, p.isSet(QStringLiteral("password-stdin")),
                                           p.value(QStringLiteral("secret-env")));
    req.catalog = ctx.catalog();
    req.pgToolDir = ctx.config().option(QStringLiteral("pgToolDir"));

    auto job = std::make_unique<BackupJob>(std::move(req));
    const auto stallWatch =
        CliAutomation::watchStalls(ctx, job.get(), profile->name, QStringLiteral("backup of %1").arg(profile->name));
    const JobResult r = CliJobRunner(ctx, p.isSet(QStringLiteral("verbose"))).run(std::move(job));
    CliAutomation::notify(ctx, DueRunner::notification(profile->name, {}, r.recordId, r.error, r.details));
    if (!r.ok())
        return ctx.fail(r.error);
    if (keepDays > 0) {
        // Retention reads `expires` of a manual backup as its own keep period.
        if (auto rec = ctx.catalog()->get(r.recordId)) {
            rec->expires = rec->started.addDays(keepDays);
            QString err;
            if (!ctx.catalog()->update(*rec, &err))
                ctx.err() << "lifeboatctl: warning: could not record --keep-days: " << err << Qt::endl;
        }
    }
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
