#include "SetCommand.h"

#include "ArgParser.h"
#include "CliAutomation.h"
#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSecrets.h"
#include "CliUseCase.h"
#include "NamedThings.h"
#include "RestoreCliSupport.h"
#include "RetentionFlags.h"
#include "SetRunDue.h"
#include "schedule/DueRunner.h"

#include "jobs/BackupDeleter.h"
#include "notify/Notification.h"
#include "ops/Restore.h"
#include "ops/SetRestore.h"
#include "restore/SafetyBackup.h"
#include "schedule/CronExpression.h"
#include "secrets/MemoryCredentialStore.h"
#include "sets/SetPlanner.h"
#include "sets/SetPruner.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>

using namespace lifeboat;

namespace {
QStringList allStorageNames(const ConfigStore &config) {
    QStringList names;
    for (const StorageConfig &s : config.storages())
        names << s.name;
    return names;
}

void printMembers(CliContext &ctx, const QJsonArray &members) {
    for (const QJsonValue &v : members) {
        const QJsonObject m = v.toObject();
        ctx.err() << "  " << m.value(QStringLiteral("kind")).toString() << " "
                  << m.value(QStringLiteral("name")).toString() << ": ";
        if (m.contains(QStringLiteral("check")))
            ctx.err() << "check " << m.value(QStringLiteral("check")).toString();
        if (m.contains(QStringLiteral("status")))
            ctx.err() << (m.contains(QStringLiteral("check")) ? ", " : "")
                      << m.value(QStringLiteral("status")).toString();
        if (m.value(QStringLiteral("recordId")).toInteger() > 0)
            ctx.err() << " (record #" << m.value(QStringLiteral("recordId")).toInteger() << ")";
        if (!m.value(QStringLiteral("error")).toString().isEmpty())
            ctx.err() << " — " << m.value(QStringLiteral("error")).toString();
        ctx.err() << Qt::endl;
        if (m.contains(QStringLiteral("guidance")))
            ctx.err() << "    " << m.value(QStringLiteral("guidance")).toString() << Qt::endl;
    }
}
} // namespace

static int add(CliContext &ctx, const ArgParser &p) {
    SetConfig s;
    s.name = p.positional().first();
    if (!ConfigStore::isValidName(s.name))
        return ctx.usage(QStringLiteral("set names use letters, digits, '.', '_' and '-' (at most 63)"));
    s.profile = p.value(QStringLiteral("profile"));
    if (s.profile.isEmpty() || !ctx.config().profile(s.profile))
        return ctx.usage(QStringLiteral("set add needs --profile P naming a database profile (see `lifeboatctl profile "
                                        "list`)"));
    s.files = p.values(QStringLiteral("files"));
    s.mirrors = p.values(QStringLiteral("mirror"));
    s.redis = p.values(QStringLiteral("redis"));
    s.storages = p.values(QStringLiteral("storage"));
    for (const QString &m : std::as_const(s.mirrors)) {
        if (!ctx.config().mirror(m))
            return ctx.usage(QStringLiteral("unknown mirror \"%1\" (add it with `lifeboatctl mirror add`)").arg(m));
    }
    for (const QString &f : std::as_const(s.files)) {
        if (!ctx.config().fileSource(f))
            return ctx.usage(QStringLiteral("unknown file source \"%1\" (add it with `lifeboatctl files add`)").arg(f));
    }
    for (const QString &r : std::as_const(s.redis)) {
        if (!ctx.config().redisSource(r))
            return ctx.usage(
                QStringLiteral("unknown Redis source \"%1\" (add it with `lifeboatctl redis add`)").arg(r));
    }
    for (const QString &st : std::as_const(s.storages)) {
        if (!ctx.config().storage(st))
            return ctx.usage(QStringLiteral("unknown storage \"%1\" (known: %2)")
                                 .arg(st, allStorageNames(ctx.config()).join(QStringLiteral(", "))));
    }
    s.cron = p.value(QStringLiteral("cron"));
    if (!s.cron.isEmpty()) {
        const CronExpression expr = CronExpression::parse(s.cron);
        if (!expr.isValid())
            return ctx.usage(QStringLiteral("--cron: %1").arg(expr.error()));
    }
    s.timeZone = p.value(QStringLiteral("tz"));
    if (!s.timeZone.isEmpty() && !DueRunner::timeZone(s.timeZone).isValid())
        return ctx.usage(QStringLiteral("--tz: unknown time zone \"%1\"").arg(s.timeZone));
    RetentionFlags keep;
    if (auto rc = RetentionFlags::read(ctx, p, &keep))
        return *rc;
    keep.applyTo(&s);
    const auto existing = ctx.config().set(s.name);
    s.created = existing && !existing->created.isEmpty() ? existing->created
                                                         : QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    ctx.config().upsertSet(s);
    if (!ctx.saveConfig())
        return 3;
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("name"), s.name}});
    else
        ctx.err() << "Set \"" << s.name << "\" saved: database " << s.profile
                  << (s.files.isEmpty() ? QString() : QStringLiteral(", files ") + s.files.join(QLatin1Char(',')))
                  << (s.mirrors.isEmpty() ? QString() : QStringLiteral(", mirrors ") + s.mirrors.join(QLatin1Char(',')))
                  << (s.redis.isEmpty() ? QString() : QStringLiteral(", redis ") + s.redis.join(QLatin1Char(',')))
                  << Qt::endl;
    return 0;
}

static int set(CliContext &ctx, const ArgParser &p) {
    auto existing = ctx.config().set(p.positional().first());
    if (!existing)
        return ctx.usage(QStringLiteral("unknown set \"%1\" (see `lifeboatctl set list`)").arg(p.positional().first()));
    RetentionFlags keep;
    if (auto rc = RetentionFlags::read(ctx, p, &keep))
        return *rc;
    if (!keep.any() && !p.isSet(QStringLiteral("clear-retention")))
        return ctx.usage(QStringLiteral("set set needs --keep-* rules or --clear-retention"));
    SetConfig s = *existing;
    if (p.isSet(QStringLiteral("clear-retention"))) {
        const SetConfig blank;
        s.keepLast = blank.keepLast;
        s.keepHourly = blank.keepHourly;
        s.keepDaily = blank.keepDaily;
        s.keepWeekly = blank.keepWeekly;
        s.keepMonthly = blank.keepMonthly;
        s.keepYearly = blank.keepYearly;
        s.keepWithinSeconds = blank.keepWithinSeconds;
    }
    keep.applyTo(&s);
    RetentionPolicy policy;
    if (Error e = SetPruner::policyFor(ctx.config(), s, &policy))
        return ctx.fail(e);
    ctx.config().upsertSet(s);
    if (!ctx.saveConfig())
        return 3;
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true},
                                  {QStringLiteral("name"), s.name},
                                  {QStringLiteral("policy"), policy.describe()}});
    else
        ctx.err() << "Set \"" << s.name << "\" saved: captures are kept by " << policy.describe() << "." << Qt::endl;
    return 0;
}

static int list(CliContext &ctx, const ArgParser &p) {
    const int shown = p.isSet(QStringLiteral("captures")) ? p.value(QStringLiteral("captures")).toInt() : 5;
    return NamedThings::list(ctx, ctx.config().sets(), [&ctx, shown](const SetConfig &s) {
        QJsonArray captures;
        const QStringList ids = ctx.catalog()->setIds(SetBackupJob::idPrefix(s.name));
        for (const QString &id : ids.mid(0, std::max(0, shown))) {
            const QList<BackupRecord> members = ctx.catalog()->listBySet(id);
            QString status = BackupRecord::statusCompleted();
            QJsonArray memberIds;
            for (const BackupRecord &r : members) {
                memberIds.append(r.id);
                if (r.status != BackupRecord::statusCompleted())
                    status = r.status;
                else if (r.error.startsWith(SetBackupJob::incompleteMarker()) &&
                         status == BackupRecord::statusCompleted())
                    status = BackupRecord::statusFailed();
            }
            captures.append(QJsonObject{{QStringLiteral("setId"), id},
                                        {QStringLiteral("status"), status},
                                        {QStringLiteral("records"), memberIds}});
        }
        QString text = s.name + QStringLiteral("  database ") + s.profile;
        if (!s.files.isEmpty())
            text += QStringLiteral(", files ") + s.files.join(QLatin1Char(','));
        if (!s.mirrors.isEmpty())
            text += QStringLiteral(", mirrors ") + s.mirrors.join(QLatin1Char(','));
        if (!s.redis.isEmpty())
            text += QStringLiteral(", redis ") + s.redis.join(QLatin1Char(','));
        if (!s.cron.isEmpty())
            text += QStringLiteral("  cron \"") + s.cron + QLatin1Char('"');
        for (const QJsonValue &c : std::as_const(captures))
            text += QStringLiteral("\n  ") + c[QStringLiteral("setId")].toString() + QStringLiteral("  ") +
                    c[QStringLiteral("status")].toString();
        return NamedThings::Row{{{QStringLiteral("name"), s.name},
                                 {QStringLiteral("profile"), s.profile},
                                 {QStringLiteral("files"), QJsonArray::fromStringList(s.files)},
                                 {QStringLiteral("mirrors"), QJsonArray::fromStringList(s.mirrors)},
                                 {QStringLiteral("redis"), QJsonArray::fromStringList(s.redis)},
                                 {QStringLiteral("cron"), s.cron},
                                 {QStringLiteral("captures"), captures}},
                                text};
    });
}

static int remove(CliContext &ctx, const ArgParser &p) {
    return NamedThings::remove(ctx, p.positional().first(),
                               {[&ctx](const QString &name) {
                                    return ctx.config().removeSet(name)
                                               ? QString()
                                               : QStringLiteral("unknown set \"%1\"").arg(name);
                                },
                                true,
                                {},
                                QStringLiteral("Set \"%1\" removed (its captures stay in the catalog)."),
                                false});
}

static int backup(CliContext &ctx, const ArgParser &p) {
    const auto set = ctx.config().set(p.positional().first());
    if (!set)
        return ctx.usage(QStringLiteral("unknown set \"%1\" (see `lifeboatctl set list`)").arg(p.positional().first()));
    const QString type =
        p.isSet(QStringLiteral("type")) ? p.value(QStringLiteral("type")).toUpper() : QStringLiteral("MANUAL");
    if (!QStringList{QStringLiteral("MANUAL"), QStringLiteral("DAILY"), QStringLiteral("WEEKLY"),
                     QStringLiteral("MONTHLY")}
             .contains(type))
        return ctx.usage(QStringLiteral("--type takes manual, daily, weekly or monthly"));
    CliSecrets secrets(ctx);
    const QString password = secrets.profilePassword(set->profile, p.isSet(QStringLiteral("password-stdin")),
                                                     p.value(QStringLiteral("secret-env")));
    const JobResult r = SetCommand::capture(ctx, *set, type, password, p.isSet(QStringLiteral("verbose")), QString(),
                                            QDateTime::currentDateTimeUtc());
    const QString setId = r.details.value(QStringLiteral("setId")).toString();
    if (r.error && setId.isEmpty())
        return ctx.fail(r.error); // refused before anything ran
    if (ctx.json()) {
        QJsonObject d = r.details;
        d[QStringLiteral("ok")] = r.ok();
        if (!r.ok()) {
            d[QStringLiteral("error")] = r.error.message;
            d[QStringLiteral("exitCode")] = toInt(r.error.code);
        }
        ctx.printJson(d);
    } else {
        ctx.err() << "Set " << setId << ": " << r.details.value(QStringLiteral("status")).toString() << Qt::endl;
        printMembers(ctx, r.details.value(QStringLiteral("members")).toArray());
        if (r.ok())
            ctx.out() << setId << Qt::endl;
    }
    if (!r.ok()) {
        ctx.err() << "lifeboatctl: " << r.error.message << Qt::endl;
        return toInt(r.error.code);
    }
    return 0;
}

JobResult SetCommand::capture(CliContext &ctx, const SetConfig &set, const QString &type, const QString &password,
                              bool verbose, const QString &schedule, const QDateTime &startedUtc) {
    CliSecrets secrets(ctx);
    SetPlanner::Secrets sec;
    sec.storages = secrets.storageSecrets(ctx.config().storages());
    sec.databasePassword = password;
    for (const QString &name : set.redis)
        sec.redis.insert(name, secrets.secret(RedisSourceConfig::passwordKey(name), false, QString()));
    Error e;
    auto req = SetPlanner::backup(ctx.config(), set, startedUtc, type, ctx.catalog(), sec, &e);
    if (!req)
        return {e, 0, {}};
    const QString setId = req->setId;
    const JobResult r = CliJobRunner(ctx, verbose).run(std::make_unique<SetBackupJob>(std::move(*req)));

    Notification n;
    n.profile = set.name;
    n.failure = !r.ok();
    n.event = n.failure ? QStringLiteral("backup.failed") : QStringLiteral("backup.completed");
    const QString what = schedule.isEmpty() ? QStringLiteral("Backup of set %1").arg(set.name)
                                            : QStringLiteral("Scheduled backup of set %1").arg(set.name);
    n.subject =
        QStringLiteral("[Lifeboat] %1: %2").arg(n.failure ? QStringLiteral("FAILED") : QStringLiteral("OK"), what);
    n.text = n.failure ? QStringLiteral("%1 failed at %2 (exit %3): %4")
                             .arg(what, r.details.value(QStringLiteral("failedMember")).toString())
                             .arg(toInt(r.error.code))
                             .arg(r.error.message)
                       : QStringLiteral("%1 completed: %2").arg(what, setId);
    n.fields = r.details;
    n.fields[QStringLiteral("exitCode")] = toInt(r.error.code);
    n.fields[QStringLiteral("schedule")] = schedule;
    CliUseCase(ctx).context().notify(n);
    return r;
}

static int restore(CliContext &ctx, const ArgParser &p) {
    if (!p.isSet(QStringLiteral("target")) || p.value(QStringLiteral("target-db")).isEmpty())
        return ctx.usage(QStringLiteral("set restore needs --target PROFILE|URI and --target-db NAME"));
    int rc = 0;
    auto identities = RestoreCliSupport::identities(ctx, p, &rc);
    if (!identities)
        return rc;
    SetRestore::Request request;
    request.setId = p.positional().first();
    request.target = p.value(QStringLiteral("target"));
    SetPlanner::RestoreTargets &t = request.targets;
    RestoreOptions &o = t.database;
    o.targetDb = p.value(QStringLiteral("target-db"));
    o.create = p.isSet(QStringLiteral("create"));
    o.clean = p.isSet(QStringLiteral("clean"));
    o.dryRun = p.isSet(QStringLiteral("dry-run"));
    o.confirm = p.value(QStringLiteral("confirm"));
    o.noSafetyBackup = p.isSet(QStringLiteral("no-safety-backup"));
    o.terminateConnections = p.isSet(QStringLiteral("terminate-connections"));
    o.createMissingRoles = p.isSet(QStringLiteral("create-missing-roles"));
    t.identities = std::move(*identities);
    t.mirrorStorage = p.value(QStringLiteral("mirror-to"));
    if (p.isSet(QStringLiteral("mirror-prefix")))
        t.mirrorPrefix = p.value(QStringLiteral("mirror-prefix"));
    t.overwrite = p.isSet(QStringLiteral("overwrite"));
    for (const QString &spec : p.values(QStringLiteral("files-to"))) {
        const qsizetype eq = spec.indexOf(QLatin1Char('='));
        if (eq <= 0 || eq == spec.size() - 1)
            return ctx.usage(QStringLiteral("--files-to takes SOURCE=DIR, not \"%1\"").arg(spec));
        t.filesTo.insert(spec.left(eq), QDir::cleanPath(spec.mid(eq + 1)));
    }
    // The target is checked before any secret is read; then the secrets in the order `restore` reads them.
    Error targetError;
    if (!Restore::resolveTarget(ctx.config(), request.target, false, &targetError))
        return ctx.fail(targetError);
    CliSecrets secrets(ctx);
    request.targetPassword = RestoreCliSupport::givenPassword(secrets, p);
    MemoryCredentialStore known = RestoreCliSupport::readSecrets(secrets, SetRestore::secretKeys(ctx.config(), request),
                                                                 SetRestore::storedSecretKeys(ctx.config(), request));
    const bool dryRun = o.dryRun;
    PreparedJob prepared = SetRestore::prepare(std::move(request), RestoreCliSupport::useCaseContext(ctx, &known));
    if (!prepared)
        return ctx.fail(prepared.error);
    const JobResult r = CliJobRunner(ctx, p.isSet(QStringLiteral("verbose"))).run(std::move(prepared.job));
    prepared.finished(r);
    const QJsonArray members = r.details.value(QStringLiteral("members")).toArray();
    if (ctx.json()) {
        QJsonObject d = r.details;
        d[QStringLiteral("ok")] = r.ok();
        if (!r.ok()) {
            d[QStringLiteral("error")] = r.error.message;
            d[QStringLiteral("exitCode")] = toInt(r.error.code);
        }
        ctx.printJson(d);
    } else {
        ctx.err() << "Set " << p.positional().first() << ":" << Qt::endl;
        printMembers(ctx, members);
        if (r.ok())
            ctx.err() << (dryRun ? "Dry run — every check passed, nothing was changed." : "Set restored.") << Qt::endl;
    }
    if (!r.ok()) {
        ctx.err() << "lifeboatctl: " << r.error.message << Qt::endl;
        return toInt(r.error.code);
    }
    return 0;
}

static int prune(CliContext &ctx, const ArgParser &p) {
    QList<SetConfig> sets;
    if (p.positional().isEmpty()) {
        sets = ctx.config().sets();
    } else {
        const auto s = ctx.config().set(p.positional().first());
        if (!s)
            return ctx.usage(QStringLiteral("unknown set \"%1\"").arg(p.positional().first()));
        sets << *s;
    }
    const bool dryRun = p.isSet(QStringLiteral("dry-run"));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    CliSecrets secrets(ctx);
    BackupDeleter deleter(ctx.config().storages(), [&](const QString &s) { return secrets.storageSecret(s); });
    QJsonArray out;
    int failed = 0;
    for (const SetConfig &s : sets) {
        RetentionPolicy policy;
        if (Error e = SetPruner::policyFor(ctx.config(), s, &policy))
            return ctx.fail(e);
        QList<RetentionPruner::Entry> entries = SetPruner::plan(*ctx.catalog(), s.name, policy, now);
        if (!dryRun) {
            int bad = 0;
            RetentionPruner::execute(*ctx.catalog(), entries, deleter, &bad);
            failed += bad;
        }
        for (const RetentionPruner::Entry &en : std::as_const(entries)) {
            out.append(QJsonObject{{QStringLiteral("set"), s.name},
                                   {QStringLiteral("setId"), en.record.setId},
                                   {QStringLiteral("id"), en.record.id},
                                   {QStringLiteral("kind"), en.record.kind},
                                   {QStringLiteral("outcome"), en.outcome},
                                   {QStringLiteral("reason"), en.decision.reason()},
                                   {QStringLiteral("notes"), QJsonArray::fromStringList(en.notes)}});
            if (!ctx.json())
                ctx.out() << en.outcome << "  #" << en.record.id << " " << en.record.kind << " " << en.record.profile
                          << "  " << en.decision.reason() << Qt::endl;
        }
    }
    if (ctx.json())
        ctx.printJson(out);
    if (failed > 0)
        return ctx.fail(ExitCode::Transfer, QStringLiteral("%1 record(s) could not be deleted").arg(failed));
    return 0;
}

QList<CliCommand> SetCommand::commands() {
    return {
        {QStringLiteral("set"), QStringLiteral("add"),
         QStringLiteral("NAME --profile P [--files SOURCE]... [--mirror NAME]... [--redis SOURCE]... "
                        "[--storage NAME]... [--cron EXPR] [--tz ZONE] %1")
             .arg(RetentionFlags::synopsis()),
         1, 1, &add,
         cliOptions(R"(
--profile P  The database profile (backed up first).
--files SOURCE  A directory source of the application (repeatable).
--mirror NAME  A bucket mirror of the application (repeatable).
--redis SOURCE  A Redis source of the application (repeatable).
--storage NAME  Where the database and directory artifacts go (repeatable; default: the profile's).
--cron EXPR  When to capture the set (5-field cron expression).
--tz ZONE  Time zone of --cron (default: the system's).)") +
             RetentionFlags::options(RetentionFlags::Use::Set)},
        {QStringLiteral("set"), QStringLiteral("set"),
         QStringLiteral("NAME [--clear-retention] %1").arg(RetentionFlags::synopsis()), 1, 1, &set,
         RetentionFlags::options(RetentionFlags::Use::Set) + cliOptions(R"(
--clear-retention  Drop the set's own rules (applied before any --keep-* given with it): its captures follow the
    retention settings again.)")},
        {QStringLiteral("set"), QStringLiteral("list"), QStringLiteral("[--captures N]"), 0, 0, &list, cliOptions(R"(
--captures N  Show the N newest captures of each set (default 5).)")},
        {QStringLiteral("set"), QStringLiteral("remove"), QStringLiteral("NAME"), 1, 1, &remove},
        {QStringLiteral("set"), QStringLiteral("backup"), QStringLiteral("NAME [--type manual|daily|weekly|monthly]"),
         1, 1, &backup,
         cliOptions(R"(
--type T  manual (default), daily, weekly or monthly.)") +
             RestoreCliSupport::passwordOptions() + cliOptions(R"(
--verbose  Show every member's log.)")},
        {QStringLiteral("set"), QStringLiteral("restore"),
         QStringLiteral("SETID --target PROFILE|URI --target-db NAME [--create] [--clean] [--confirm NAME] "
                        "[--create-missing-roles] [--dry-run] [--mirror-to STORAGE] [--mirror-prefix P] "
                        "[--files-to SOURCE=DIR]... [--overwrite]"),
         1, 1, &restore,
         cliOptions(R"(
--target PROFILE|URI  Target server of the database member: a profile or a URI.
--target-db NAME  Database to restore into.
--create  Create the target database (it must not exist).
--clean  Drop the backup's objects before recreating them (--if-exists).
--confirm NAME  Type the target database's name to restore into an existing database.
--dry-run  Run every member's checks; change nothing.
--no-safety-backup  Skip the safety backup of a production target.
--terminate-connections  End other sessions on the target database.
--create-missing-roles  Before the database member, create the roles the target server lacks from the roles its
    backup kept (profile --globals), as `restore --create-missing-roles` does.
--mirror-to STORAGE  S3 storage the mirrors restore into (default: each mirror's source storage).
--mirror-prefix P  Folder to restore mirrored objects into (default: where they came from; with several mirrors,
    PREFIX/<mirror>).
--files-to SOURCE=DIR  Directory for a file source (repeatable; default: the source's own directory).
--overwrite  Mirrors and directories: replace existing different content instead of refusing.)") +
             RestoreCliSupport::identityOptions() + RestoreCliSupport::passwordOptions() + cliOptions(R"(
--verbose  Show every member's log.)")},
        {QStringLiteral("set"), QStringLiteral("prune"), QStringLiteral("[NAME] [--dry-run]"), 0, 1, &prune,
         cliOptions(R"(
--dry-run  Show what would be kept and expired, with reasons.)")},
        SetRunDue::command(),
    };
}
