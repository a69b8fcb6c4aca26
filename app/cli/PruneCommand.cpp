#include "PruneCommand.h"

#include "ArgParser.h"
#include "CliAutomation.h"
#include "CliContext.h"
#include "CliSecrets.h"

#include "jobs/BackupDeleter.h"
#include "jobs/RetentionPruner.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QTimeZone>

using namespace lifeboat;

int PruneCommand::run(CliContext &ctx, const QStringList &args) {
    ArgParser p(QStringLiteral("prune"),
                QStringLiteral("[--dry-run] [--profile P] [--keep-last N] [--keep-hourly N] [--keep-daily N] "
                               "[--keep-weekly N] [--keep-monthly N] [--keep-yearly N] [--keep-within DURATION] "
                               "[--failed-verification] [--as-of TIME]"));
    p.flag(QStringLiteral("dry-run"), QStringLiteral("Show what would be kept and deleted, and why; change nothing."));
    p.option(QStringLiteral("profile"), QStringLiteral("Only this profile (default: every profile)."),
             QStringLiteral("P"));
    p.option(QStringLiteral("keep-last"), QStringLiteral("Keep the N newest backups (default 0)."),
             QStringLiteral("N"));
    p.option(QStringLiteral("keep-hourly"),
             QStringLiteral("Keep the newest backup of each of the N most recent hours that have one (default 0)."),
             QStringLiteral("N"));
    p.option(QStringLiteral("keep-daily"),
             QStringLiteral("Keep the newest backup of each of the N most recent days that have one (default 7)."),
             QStringLiteral("N"));
    p.option(QStringLiteral("keep-weekly"),
             QStringLiteral("Keep the newest backup of each of the N most recent ISO weeks (default 4)."),
             QStringLiteral("N"));
    p.option(QStringLiteral("keep-monthly"),
             QStringLiteral("Keep the newest backup of each of the N most recent months (default 12)."),
             QStringLiteral("N"));
    p.option(QStringLiteral("keep-yearly"),
             QStringLiteral("Keep the newest backup of each of the N most recent years (default 0)."),
             QStringLiteral("N"));
    p.option(QStringLiteral("keep-within"),
             QStringLiteral("Keep every backup younger than this, e.g. 7d, 36h, 2w (default: none)."),
             QStringLiteral("DURATION"));
    p.flag(QStringLiteral("failed-verification"),
           QStringLiteral("Also delete backups whose last verification failed (otherwise kept for inspection)."));
    p.option(QStringLiteral("as-of"), QStringLiteral("Decide as if it were this time (ISO 8601)."),
             QStringLiteral("TIME"));
    if (auto rc = p.parse(ctx, args, 0, 0))
        return *rc;
    Overrides o;
    for (const auto &[name, field] :
         {std::pair{QStringLiteral("keep-daily"), &o.daily}, std::pair{QStringLiteral("keep-weekly"), &o.weekly},
          std::pair{QStringLiteral("keep-monthly"), &o.monthly}, std::pair{QStringLiteral("keep-hourly"), &o.hourly},
          std::pair{QStringLiteral("keep-yearly"), &o.yearly}, std::pair{QStringLiteral("keep-last"), &o.last}}) {
        if (!p.isSet(name))
            continue;
        bool ok = false;
        *field = p.value(name).toInt(&ok);
        if (!ok || *field < 0 || *field > RetentionPolicy::kMaxCount)
            return ctx.usage(
                QStringLiteral("--%1 takes a count from 0 to %2").arg(name).arg(RetentionPolicy::kMaxCount));
    }
    if (p.isSet(QStringLiteral("keep-within")) &&
        !RetentionPolicy::parseDuration(p.value(QStringLiteral("keep-within")), &o.withinSeconds))
        return ctx.usage(QStringLiteral("--keep-within takes a duration such as 7d, 36h, 2w or 1d12h, not \"%1\"")
                             .arg(p.value(QStringLiteral("keep-within"))));
    o.failedVerification = p.isSet(QStringLiteral("failed-verification"));
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
        QList<RetentionItem> items;
        QHash<QString, BackupRecord> byId;
        for (const BackupRecord &r : it.value()) {
            items << RetentionPruner::itemFor(r);
            byId.insert(QString::number(r.id), r);
        }
        if (!json)
            ctx.out() << (kind == QLatin1String("database") ? QStringLiteral("Profile ")
                                                            : QStringLiteral("%1 source ").arg(kind))
                      << source << ": keep " << policy.describe()
                      << (policy.zone == QTimeZone::utc()
                              ? QString()
                              : QStringLiteral(" (periods in %1)").arg(QString::fromUtf8(policy.zone.id())))
                      << Qt::endl;
        for (const RetentionDecision &d : Retention::decide(items, policy, now)) {
            BackupRecord rec = byId.value(d.id);
            QString outcome = d.keep() ? QStringLiteral("keep") : QStringLiteral("expire");
            QStringList notes;
            if (!d.keep()) {
                ++expired;
                if (!dryRun) {
                    // EXPIRED first: if the deletion fails halfway, the next prune sees it and tries again.
                    rec.status = BackupRecord::statusExpired();
                    QString err;
                    ctx.catalog()->update(rec, &err);
                    const BackupDeleter::Outcome out = deleter.deleteBackup(*ctx.catalog(), rec);
                    for (const QString &m : out.missing) {
                        notes << QStringLiteral("already missing: %1").arg(m);
                        ctx.err() << "lifeboatctl: #" << rec.id << ": already missing: " << m << Qt::endl;
                    }
                    if (out.error) {
                        outcome = QStringLiteral("expired, deletion failed");
                        notes << out.error.message;
                        ctx.err() << "lifeboatctl: #" << rec.id << ": " << out.error.message << Qt::endl;
                        rc = toInt(ExitCode::Transfer);
                    } else {
                        outcome = QStringLiteral("deleted");
                        ++deleted;
                    }
                }
            } else {
                ++kept;
            }
            if (json) {
                // A decision applies to every copy of the record.
                QStringList storages;
                for (const BackupLocation &l : rec.locations)
                    if (!storages.contains(l.storage))
                        storages << l.storage;
                json->append(QJsonObject{
                    {QStringLiteral("id"), rec.id},
                    {QStringLiteral("profile"), rec.profile},
                    {QStringLiteral("kind"), rec.kind},
                    {QStringLiteral("started"), rec.started.toString(Qt::ISODate)},
                    {QStringLiteral("type"), rec.type},
                    {QStringLiteral("status"), rec.status},
                    {QStringLiteral("action"), d.keep() ? QStringLiteral("keep") : QStringLiteral("expire")},
                    {QStringLiteral("outcome"), outcome},
                    {QStringLiteral("reasons"), QJsonArray::fromStringList(d.reasons)},
                    {QStringLiteral("storages"), QJsonArray::fromStringList(storages)},
                    {QStringLiteral("policy"), policy.describe()},
                    {QStringLiteral("notes"), QJsonArray::fromStringList(notes)},
                    {QStringLiteral("dryRun"), dryRun}});
            } else {
                ctx.out() << QStringLiteral("  %1 #%2 %3 %4  %5")
                                 .arg(outcome.toUpper().leftJustified(7))
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
