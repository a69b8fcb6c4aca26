#include "RecoverCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSecrets.h"
#include "RestoreCliSupport.h"

#include "catalog/SqlCatalog.h"
#include "ops/Recover.h"
#include "secrets/MemoryCredentialStore.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>

using namespace lifeboat;

static int run(CliContext &ctx, const ArgParser &p) {
    Error unknown;
    if (!Recover::profile(ctx.config(), p.positional().first(), &unknown))
        return ctx.fail(unknown);

    Recover::Request req;
    req.profile = p.positional().first();
    int given = 0;
    QString why;
    for (const auto &[option, kind] : {std::pair{QStringLiteral("to"), RecoverTarget::Kind::Time},
                                       std::pair{QStringLiteral("to-lsn"), RecoverTarget::Kind::Lsn},
                                       std::pair{QStringLiteral("to-xid"), RecoverTarget::Kind::Xid},
                                       std::pair{QStringLiteral("to-name"), RecoverTarget::Kind::Name}}) {
        if (!p.isSet(option))
            continue;
        ++given;
        const QString text = p.value(option);
        const auto k = option == QLatin1String("to") && text.compare(QLatin1String("latest"), Qt::CaseInsensitive) == 0
                           ? RecoverTarget::Kind::Latest
                           : kind;
        req.target = RecoverTarget::parse(k, text, &why);
        if (!why.isEmpty())
            return ctx.usage(why);
    }
    if (given != 1)
        return ctx.usage(QStringLiteral("give exactly one target: --to TIME|latest, --to-lsn, --to-xid or --to-name"));
    if (p.value(QStringLiteral("data-dir")).isEmpty())
        return ctx.usage(QStringLiteral("recover needs --data-dir DIR (an absent or empty directory)"));
    bool ok = false;
    req.port = p.value(QStringLiteral("port")).toInt(&ok);
    if (!ok || req.port < 1 || req.port > 65535)
        return ctx.usage(QStringLiteral("recover needs --port N (a free TCP port from 1 to 65535)"));
    if (p.isSet(QStringLiteral("timeout"))) {
        req.timeoutSeconds = p.value(QStringLiteral("timeout")).toInt(&ok);
        if (!ok || req.timeoutSeconds < 10)
            return ctx.usage(QStringLiteral("--timeout takes seconds (at least 10)"));
    }
    req.dataDir = p.value(QStringLiteral("data-dir"));
    req.start = p.isSet(QStringLiteral("start"));
    req.requireSigned = p.isSet(QStringLiteral("require-signed"));
    req.dryRun = p.isSet(QStringLiteral("dry-run"));
    int rc = 0;
    auto identities = RestoreCliSupport::identities(ctx, p, &rc);
    if (!identities)
        return rc;
    req.identities = std::move(*identities);
    for (const QString &f : p.values(QStringLiteral("identity")))
        req.identityArgs << QStringLiteral("--identity") << QFileInfo(f).absoluteFilePath();
    for (const QString &n : p.values(QStringLiteral("identity-name")))
        req.identityArgs << QStringLiteral("--identity-name") << n;
    if (p.isSet(QStringLiteral("passphrase-stdin")))
        return ctx.usage(QStringLiteral("recover cannot take a passphrase: the archived WAL is fetched by `wal fetch`, "
                                        "which gets the same --identity / --identity-name, not stdin"));
    CliSecrets secrets(ctx);
    MemoryCredentialStore known = RestoreCliSupport::readSecrets(secrets, Recover::secretKeys(ctx.config()), {});
    req.ctlPath = QCoreApplication::applicationFilePath();
    req.home = QFileInfo(ctx.home()).absoluteFilePath();
    req.catalogUri = ctx.catalogUri();
    if (req.catalogUri != SqlCatalog::displayLocation(req.catalogUri))
        return ctx.usage(QStringLiteral("--catalog holds a password, which would end up in the recovered server's "
                                        "restore_command — keep it in ~/.pgpass instead"));
    PreparedJob prepared = Recover::prepare(std::move(req), RestoreCliSupport::useCaseContext(ctx, &known));
    if (!prepared)
        return ctx.fail(prepared.error);
    const JobResult r = CliJobRunner(ctx, p.isSet(QStringLiteral("verbose"))).run(std::move(prepared.job));
    prepared.finished(r);
    if (ctx.json())
        ctx.printJson(r.details);
    if (!r.ok())
        return ctx.fail(r.error);
    if (!ctx.json()) {
        const QString verdict = r.details.value(QStringLiteral("verdict")).toString();
        if (r.details.value(QStringLiteral("dryRun")).toBool()) {
            const QJsonObject plan = r.details.value(QStringLiteral("plan")).toObject();
            ctx.out() << "base backup #" << plan.value(QStringLiteral("baseBackupId")).toInteger() << " "
                      << plan.value(QStringLiteral("baseBackup")).toString() << " (ends at "
                      << plan.value(QStringLiteral("baseBackupEnd")).toString() << ")\n";
            const QJsonArray segs = plan.value(QStringLiteral("segments")).toArray();
            ctx.out() << "archived segments: " << segs.size();
            if (!segs.isEmpty())
                ctx.out() << " (" << segs.first().toString() << " … " << segs.last().toString() << ")";
            ctx.out() << "\nexpected end: " << r.details.value(QStringLiteral("target")).toString() << " (last "
                      << "archived segment " << plan.value(QStringLiteral("lastSegment")).toString() << ")\n"
                      << "window: " << plan.value(QStringLiteral("windowStart")).toString() << " … "
                      << plan.value(QStringLiteral("windowEnd")).toString() << Qt::endl;
        } else {
            ctx.out() << verdict << Qt::endl;
        }
    }
    return 0;
}

QList<CliCommand> RecoverCommand::commands() {
    return {{QStringLiteral("recover"),
             {},
             QStringLiteral("PROFILE --to TIME|latest [--to-lsn LSN | --to-xid XID | --to-name NAME] --data-dir "
                            "DIR --port N [--start] [--dry-run] [--identity FILE]... [--identity-name NAME]... "
                            "[--timeout SECONDS] [--require-signed]\n\n"
                            "Point-in-time recovery: the newest base backup that ends before the target is\n"
                            "verified, extracted into DIR (absent or empty) and started with PostgreSQL of its\n"
                            "major version, replaying the archived WAL (`wal fetch`) to the target; it promotes\n"
                            "there. Exit 6, nothing written, when the target is outside the recoverable window or\n"
                            "behind a missing segment, DIR is not empty, or the port is in use."),
             1,
             1,
             &run,
             cliOptions(R"(
--to TIME  Recover to this time (ISO 8601, e.g. 2026-12-06T10:15:00Z) or "latest" (the end of the archived WAL).
--to-lsn LSN  Recover to this WAL position instead (e.g. 0/3000060).
--to-xid XID  Recover to just after this transaction commits.
--to-name NAME  Recover to this restore point (pg_create_restore_point).
--data-dir DIR  The new data directory (absent or empty).
--port N  The port the recovered server listens on (localhost).
--start  Leave the recovered server running (default: stopped cleanly after the check).
--dry-run  Print the plan (base backup, segments, expected end point) and write nothing.)") +
                 RestoreCliSupport::identityOptions() + cliOptions(R"(
--timeout SECONDS  Give up when recovery takes longer (default 3600).
--require-signed  Refuse a base backup whose manifest is unsigned or signed by an unknown key (an invalid signature
    is always refused).
--verbose  Show the job's log.)")}};
}
