#include "PruneCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"
#include "RetentionFlags.h"

#include "jobs/BackupDeleter.h"
#include "jobs/RetentionPruner.h"
#include "wal/WalPruner.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QTimeZone>

using namespace lifeboat;

namespace {

// WAL retention after the base backups' (WalPruner): per profile, the WAL older than the oldest base backup that
// stays goes. In a dry run the base backups the plan would delete no longer count; after a real run the catalog says
// which stay (one whose deletion failed or was refused, say while a recover holds it, still needs its WAL).
int pruneWal(CliContext &ctx, const QStringList &profiles, const QList<qint64> &expiring, bool dryRun, QJsonArray *json,
             BackupDeleter &deleter) {
    int rc = 0;
    int files = 0;
    qint64 bytes = 0;
    for (const QString &profile : profiles) {
        const WalPruner::Result result = WalPruner::prune(*ctx.catalog(), profile, dryRun ? expiring : QList<qint64>{},
                                                          dryRun, deleter.storages(), deleter.secretLookup());
        const WalPruner::Plan &plan = result.plan;
        const WalPruner::Outcome &outcome = result.outcome;
        if (plan.ranges.isEmpty() && plan.note.isEmpty())
            continue; // no WAL archived
        if (outcome.error)
            rc = toInt(ExitCode::Transfer);
        for (const QString &n : outcome.missing)
            ctx.err() << "lifeboatctl: WAL already missing: " << n << Qt::endl;
        for (const QString &n : outcome.problems)
            ctx.err() << "lifeboatctl: WAL not removed: " << n << Qt::endl;
        files += dryRun ? plan.removeFiles() : outcome.removed;
        bytes += plan.removeStoredBytes();
        const QString removed = dryRun                       ? QStringLiteral("would remove")
                                : outcome.problems.isEmpty() ? QStringLiteral("removed")
                                                             : QStringLiteral("removal incomplete");
        if (json) {
            const auto entry = [&](QJsonObject o, const QString &outcomeText) {
                o.insert(QStringLiteral("kind"), QStringLiteral("wal"));
                o.insert(QStringLiteral("profile"), profile);
                o.insert(QStringLiteral("baseBackupId"), plan.oldestBaseId);
                o.insert(QStringLiteral("cutoff"), plan.cutoff);
                o.insert(QStringLiteral("outcome"), outcomeText);
                o.insert(QStringLiteral("dryRun"), dryRun);
                return o;
            };
            if (!plan.note.isEmpty())
                json->append(entry({{QStringLiteral("action"), QStringLiteral("keep")},
                                    {QStringLiteral("reasons"), QJsonArray{plan.note}}},
                                   QStringLiteral("keep")));
            for (const WalPruner::Range &r : plan.ranges) {
                QJsonObject o = entry(r.toJson(), r.remove ? removed : QStringLiteral("keep"));
                if (r.remove && !outcome.problems.isEmpty())
                    o.insert(QStringLiteral("notes"), QJsonArray::fromStringList(outcome.problems));
                json->append(o);
            }
            continue;
        }
        ctx.out() << "WAL of profile " << profile << ": ";
        if (!plan.note.isEmpty())
            ctx.out() << plan.note << Qt::endl;
        else
            ctx.out() << "kept from " << plan.cutoff << ", the start of the oldest kept base backup #"
                      << plan.oldestBaseId << Qt::endl;
        for (const WalPruner::Range &r : plan.ranges)
            ctx.out() << QStringLiteral("  %1 %2: %3")
                             .arg((r.remove ? removed : QStringLiteral("keep")).toUpper().leftJustified(7))
                             .arg(r.describe(), r.reason)
                      << Qt::endl;
    }
    if (!json && (files > 0 || bytes > 0))
        ctx.err() << (dryRun ? "Dry run: " : "") << "WAL: " << files << " file(s), " << bytes << " bytes stored"
                  << (dryRun ? " would be removed" : " removed") << Qt::endl;
    return rc;
}

} // namespace

int PruneCommand::run(CliContext &ctx, const ArgParser &p) {
    RetentionFlags keep;
    if (auto rc = RetentionFlags::read(ctx, p, &keep))
        return *rc;
    if (auto rc = RetentionFlags::readArchiveTo(ctx, p, &keep))
        return *rc;
    if (auto rc = RetentionFlags::refuseOverlap(ctx, keep.archiveTo))
        return *rc;
    Overrides o;
    o.daily = keep.daily;
    o.weekly = keep.weekly;
    o.monthly = keep.monthly;
    o.hourly = keep.hourly;
    o.yearly = keep.yearly;
    o.last = keep.last;
    o.withinSeconds = keep.withinSeconds;
    o.failedVerification = p.isSet(QStringLiteral("failed-verification"));
    o.archiveTo = keep.archiveTo;
    QDateTime now;
    if (auto rc = p.asOf(ctx, &now))
        return *rc;
    const QString profile = p.value(QStringLiteral("profile"));
    CatalogFilter known;
    known.profile = profile;
    if (!profile.isEmpty() && !ctx.config().profile(profile) && ctx.catalog()->count(known) == 0)
        return ctx.usage(QStringLiteral("unknown profile \"%1\" (see `lifeboatctl profile list`)").arg(profile));
    QJsonArray json;
    const int rc = prune(ctx, profile, o, now, p.isSet(QStringLiteral("dry-run")), ctx.json() ? &json : nullptr);
    if (ctx.json())
        ctx.printJson(json);
    return rc;
}

int PruneCommand::prune(CliContext &ctx, const QString &profile, const Overrides &overrides, const QDateTime &now,
                        bool dryRun, QJsonArray *json, const QString &kind) {
    CatalogFilter f;
    f.profile = profile;
    // One policy per source: kind and name (a database profile and a file or Redis source may share a name). Members
    // of an application backup set are kept or expired with their set (`set prune`), never alone. A profile's base
    // backups go with its database backups (run-due after a database schedule prunes both, then the WAL).
    const bool withBase = kind.isEmpty() || kind == QLatin1String("database") || kind == QLatin1String("base");
    QMap<std::pair<QString, QString>, QList<BackupRecord>> bySource;
    for (const BackupRecord &r : ctx.catalog()->list(f))
        if (r.status != BackupRecord::statusDeleted() && r.setId.isEmpty() &&
            (kind.isEmpty() || r.kind == kind || (withBase && r.kind == QLatin1String("base"))))
            bySource[{r.kind, r.profile}].append(r);

    CliSecrets secrets(ctx);
    BackupDeleter deleter(ctx.config().storages(), [&](const QString &s) { return secrets.storageSecret(s); });
    int rc = 0;
    int kept = 0, expired = 0, deleted = 0;
    QStringList baseProfiles;
    QList<qint64> expiring; // base backups the plan deletes
    for (auto it = bySource.cbegin(); it != bySource.cend(); ++it) {
        const auto &[kind, source] = it.key();
        // Base backups are a series of their own per profile, counted by the rules of the profile's database backups
        // (its settings and its database schedules' overrides, whose zone counts the periods), with its base
        // schedules' overrides on top — as DueRunner::retentionPolicy does after a scheduled base backup.
        const bool base = kind == QLatin1String("base");
        if (base)
            baseProfiles << source;
        QList<ScheduleRecord> schedules = ctx.catalog()->schedules();
        if (base) {
            QList<ScheduleRecord> ordered;
            for (const QString &k : {QStringLiteral("database"), QStringLiteral("base")})
                for (const ScheduleRecord &s : std::as_const(schedules))
                    if (s.profile == source && s.sourceKind == k) {
                        ordered << s;
                        ordered.last().sourceKind = kind;
                    }
            schedules = ordered;
        }
        RetentionPolicy policy;
        if (const Error e = RetentionPruner::policyForSource(ctx.config(), schedules, kind, source, &policy))
            return ctx.fail(e);
        if (overrides.daily >= 0)
            policy.daily = overrides.daily;
        if (overrides.weekly >= 0)
            policy.weekly = overrides.weekly;
        if (overrides.monthly >= 0)
            policy.monthly = overrides.monthly;
        if (overrides.hourly >= 0)
            policy.hourly = overrides.hourly;
        if (overrides.yearly >= 0)
            policy.yearly = overrides.yearly;
        if (overrides.last >= 0)
            policy.last = overrides.last;
        if (overrides.withinSeconds >= 0)
            policy.withinSeconds = overrides.withinSeconds;
        policy.pruneFailedVerification = overrides.failedVerification;
        if (!overrides.archiveTo.isEmpty())
            policy.archiveTo = overrides.archiveTo;
        if (!json) {
            ctx.out()
                << (kind == QLatin1String("database") ? QStringLiteral("Profile ")
                    : base                            ? QStringLiteral("Base backups of profile ")
                                                      : QStringLiteral("%1 source ").arg(kind))
                << source << ": keep " << policy.describe()
                << (policy.zone == QTimeZone::utc()
                        ? QString()
                        : QStringLiteral(" (periods in %1)").arg(QString::fromUtf8(policy.zone.id())))
                << (policy.archiveTo.isEmpty()
                        ? QString()
                        : QStringLiteral("; copies kept only by monthly/yearly rules move to %1").arg(policy.archiveTo))
                << Qt::endl;
            for (const StorageConfig &s : ctx.config().storages()) {
                if (s.hasRetention())
                    ctx.out() << "  storage " << s.name << " keeps its copies by its own rules: "
                              << RetentionPruner::storagePolicy(s, policy).describe() << Qt::endl;
                if (!s.archiveTo.isEmpty())
                    ctx.out() << "  storage " << s.name << " moves copies kept only by monthly/yearly rules to "
                              << s.archiveTo << Qt::endl;
            }
        }
        QList<RetentionPruner::Entry> entries =
            RetentionPruner::planRecords(it.value(), policy, now, ctx.config().storages());
        for (RetentionPruner::Entry &e : entries) {
            const RetentionDecision &d = e.decision;
            const bool touched = e.touched();
            if (!d.keep()) {
                ++expired;
                if (base)
                    expiring.append(e.record.id);
            } else
                ++kept;
            if (touched && !dryRun) {
                bool gone = false;
                if (!RetentionPruner::executeEntry(*ctx.catalog(), e, deleter, &gone))
                    rc = toInt(ExitCode::Transfer);
                if (gone)
                    ++deleted;
                for (const QString &n : e.notes)
                    ctx.err() << "lifeboatctl: #" << e.record.id << ": " << n << Qt::endl;
            }
            const BackupRecord &rec = e.record;
            if (json) {
                // Each copy's decision and the storage it applies to: a storage with its own rules decides its
                // copies alone, the others follow the record's decision.
                QJsonArray copies;
                QStringList storages;
                for (const RetentionPruner::CopyDecision &c : e.copies) {
                    storages << c.storage;
                    copies.append(QJsonObject{
                        {QStringLiteral("storage"), c.storage},
                        {QStringLiteral("action"), !c.keep               ? QStringLiteral("remove")
                                                   : !c.moveTo.isEmpty() ? QStringLiteral("move")
                                                                         : QStringLiteral("keep")},
                        {QStringLiteral("moveTo"), c.moveTo},
                        {QStringLiteral("rules"), c.ownRules ? QStringLiteral("storage") : QStringLiteral("source")},
                        {QStringLiteral("policy"), c.policy},
                        {QStringLiteral("reasons"), QJsonArray::fromStringList(c.reasons)}});
                }
                QJsonArray removed;
                for (const RemovedCopy &c : rec.removedCopies)
                    removed.append(QJsonObject{{QStringLiteral("storage"), c.location.storage},
                                               {QStringLiteral("path"), c.location.path},
                                               {QStringLiteral("removed"), c.removed.toString(Qt::ISODate)},
                                               {QStringLiteral("reason"), c.reason}});
                json->append(QJsonObject{
                    {QStringLiteral("id"), rec.id},
                    {QStringLiteral("profile"), rec.profile},
                    {QStringLiteral("kind"), rec.kind},
                    {QStringLiteral("started"), rec.started.toString(Qt::ISODate)},
                    {QStringLiteral("type"), rec.type},
                    {QStringLiteral("status"), rec.status},
                    {QStringLiteral("action"), d.keep() ? QStringLiteral("keep") : QStringLiteral("expire")},
                    {QStringLiteral("outcome"), e.outcome},
                    {QStringLiteral("reasons"), QJsonArray::fromStringList(d.reasons)},
                    {QStringLiteral("storages"), QJsonArray::fromStringList(storages)},
                    {QStringLiteral("copies"), copies},
                    {QStringLiteral("removedCopies"), removed},
                    {QStringLiteral("policy"), policy.describe()},
                    {QStringLiteral("notes"), QJsonArray::fromStringList(e.notes)},
                    {QStringLiteral("dryRun"), dryRun}});
            } else {
                ctx.out() << QStringLiteral("  %1 #%2 %3 %4  %5")
                                 .arg(e.outcome.toUpper().leftJustified(7))
                                 .arg(rec.id)
                                 .arg(rec.started.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                                 .arg(rec.type.leftJustified(20))
                                 .arg(d.reason())
                          << Qt::endl;
            }
        }
    }
    if (!json)
        ctx.err() << (dryRun ? "Dry run: " : "") << kept << " kept, " << expired
                  << (dryRun ? " would be deleted" : " expired")
                  << (dryRun ? QString() : QStringLiteral(", %1 deleted").arg(deleted)) << Qt::endl;
    // The WAL the remaining base backups do not need (every profile pruned, or the one asked for).
    if (withBase) {
        if (!profile.isEmpty() && !baseProfiles.contains(profile))
            baseProfiles << profile;
        if (const int walRc = pruneWal(ctx, baseProfiles, expiring, dryRun, json, deleter); walRc != 0 && rc == 0)
            rc = walRc;
    }
    return rc;
}

QList<CliCommand> PruneCommand::commands() {
    return {
        {QStringLiteral("prune"),
         {},
         QStringLiteral("[--dry-run] [--profile P] %1 [--archive-to STORAGE] [--failed-verification] [--as-of TIME]")
             .arg(RetentionFlags::synopsis()),
         0,
         0,
         &run,
         cliOptions(R"(
--dry-run  Show what would be kept and deleted, and why; change nothing.
--profile P  Only this profile (default: every profile).)") +
             RetentionFlags::options(RetentionFlags::Use::Prune) +
             RetentionFlags::archiveToOptions(RetentionFlags::Use::Prune) + cliOptions(R"(
--failed-verification  Also delete backups whose last verification failed (otherwise kept for inspection).
--as-of TIME  Decide as if it were this time (ISO 8601).)")}};
}
