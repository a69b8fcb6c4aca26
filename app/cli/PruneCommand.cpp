#include "PruneCommand.h"

#include "ArgParser.h"
#include "CliAutomation.h"
#include "CliContext.h"
#include "CliSecrets.h"
#include "RetentionFlags.h"

#include "jobs/BackupDeleter.h"
#include "jobs/RetentionPruner.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QTimeZone>

using namespace lifeboat;

int PruneCommand::run(CliContext &ctx, const QStringList &args) {
    ArgParser p(
        QStringLiteral("prune"),
        QStringLiteral("[--dry-run] [--profile P] %1 [--archive-to STORAGE] [--failed-verification] [--as-of TIME]")
            .arg(RetentionFlags::synopsis()));
    p.flag(QStringLiteral("dry-run"), QStringLiteral("Show what would be kept and deleted, and why; change nothing."));
    p.option(QStringLiteral("profile"), QStringLiteral("Only this profile (default: every profile)."),
             QStringLiteral("P"));
    RetentionFlags::declare(p, RetentionFlags::Use::Prune);
    RetentionFlags::declareArchiveTo(p, RetentionFlags::Use::Prune);
    p.flag(QStringLiteral("failed-verification"),
           QStringLiteral("Also delete backups whose last verification failed (otherwise kept for inspection)."));
    p.option(QStringLiteral("as-of"), QStringLiteral("Decide as if it were this time (ISO 8601)."),
             QStringLiteral("TIME"));
    if (auto rc = p.parse(ctx, args, 0, 0))
        return *rc;
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
    QDateTime now = QDateTime::currentDateTimeUtc();
    if (p.isSet(QStringLiteral("as-of"))) {
        now = CliAutomation::parseTime(p.value(QStringLiteral("as-of")));
        if (!now.isValid())
            return ctx.usage(QStringLiteral("--as-of: \"%1\" is not an ISO 8601 time (e.g. 2026-03-29T01:00:00Z)")
                                 .arg(p.value(QStringLiteral("as-of"))));
    }
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
    // of an application backup set are kept or expired with their set (`set prune`), never alone.
    QMap<std::pair<QString, QString>, QList<BackupRecord>> bySource;
    for (const BackupRecord &r : ctx.catalog()->list(f))
        if (r.status != BackupRecord::statusDeleted() && r.setId.isEmpty() && (kind.isEmpty() || r.kind == kind))
            bySource[{r.kind, r.profile}].append(r);

    CliSecrets secrets(ctx);
    BackupDeleter deleter(ctx.config().storages(), [&](const QString &s) { return secrets.storageSecret(s); });
    int rc = 0;
    int kept = 0, expired = 0, deleted = 0;
    for (auto it = bySource.cbegin(); it != bySource.cend(); ++it) {
        const auto &[kind, source] = it.key();
        RetentionPolicy policy;
        if (const Error e =
                RetentionPruner::policyForSource(ctx.config(), ctx.catalog()->schedules(), kind, source, &policy))
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
            if (!d.keep())
                ++expired;
            else
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
    return rc;
}
