#include "RunDueCommand.h"

#include "ArgParser.h"
#include "CliAutomation.h"
#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSecrets.h"
#include "PruneCommand.h"

#include "jobs/BackupJob.h"
#include "jobs/StallWatch.h"
#include "jobs/StoreFactory.h"
#include "schedule/CronExpression.h"
#include "schedule/ScheduleDue.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QSysInfo>
#include <QThread>
#include <QUuid>

using namespace lifeboat;

namespace {
// A lock older than this is treated as abandoned (SQLite catalog; a live runner on the same host is detected by its
// pid long before). Longer than any sane backup.
constexpr int kLockTtlSeconds = 12 * 3600;

struct Outcome {
    QString status; // not-due | skipped | locked | COMPLETED | FAILED | CANCELLED | error
    QString message;
    qint64 recordId = 0;
    QString type;
    Error error;
};

// Builds the backup request the way `lifeboatctl backup PROFILE` does, for an unattended run: no stdin, the
// password from the credential store or libpq's own sources.
Error buildRequest(CliContext &ctx, CliSecrets &secrets, const ScheduleRecord &s, BackupJob::Request &req) {
    const auto profile = ctx.config().profile(s.profile);
    if (!profile)
        return {ExitCode::Usage,
                QStringLiteral("schedule \"%1\": profile \"%2\" no longer exists").arg(s.name, s.profile)};
    req.profile = *profile;
    for (const QString &r : profile->recipients) {
        QString why;
        const auto rec = AgeRecipient::parse(r, &why);
        if (!rec)
            return {ExitCode::Usage, QStringLiteral("profile \"%1\" recipient: %2").arg(profile->name, why)};
        req.encryptTo.push_back(*rec);
    }
    const QStringList storages = s.storages.isEmpty() ? profile->defaultStorages : s.storages;
    if (storages.isEmpty())
        return {ExitCode::Usage, QStringLiteral("schedule \"%1\": no storage (give the schedule --storage or the "
                                                "profile a default)")
                                     .arg(s.name)};
    for (const QString &name : storages) {
        const auto sc = ctx.config().storage(name);
        if (!sc)
            return {ExitCode::Usage, QStringLiteral("schedule \"%1\": unknown storage \"%2\"").arg(s.name, name)};
        Error err;
        auto store = StoreFactory::create(*sc, secrets.storageSecret(name), &err);
        if (!store)
            return err;
        req.stores.push_back(std::move(store));
    }
    req.password = secrets.profilePassword(profile->name, false, QString());
    req.catalog = ctx.catalog();
    req.pgToolDir = ctx.config().option(QStringLiteral("pgToolDir"));
    return {};
}

Outcome runOne(CliContext &ctx, const ScheduleRecord &listed, const QDateTime &now, const QString &owner,
               bool verbose) {
    Outcome o;
    const CronExpression cron = CronExpression::parse(listed.cron);
    const QTimeZone tz = CliAutomation::timeZone(listed.timeZone);
    const MissedRunPolicy policy =
        listed.missedPolicy == QLatin1String("skip") ? MissedRunPolicy::Skip : MissedRunPolicy::CatchUpOnce;
    auto sinceOf = [](const ScheduleRecord &s) { return s.lastCheck.isValid() ? s.lastCheck : s.created; };
    DueResult due = ScheduleDue::check(cron, sinceOf(listed), now, tz.isValid() ? tz : QTimeZone::utc(), policy);
    if (!cron.isValid() || !tz.isValid()) {
        o.status = QStringLiteral("error");
        o.error = {ExitCode::Usage,
                   QStringLiteral("schedule \"%1\" is broken: %2")
                       .arg(listed.name, cron.isValid() ? QStringLiteral("unknown time zone") : cron.error())};
        o.message = o.error.message;
        return o;
    }
    if (!due.due) {
        // Fire times dropped by the skip policy are dealt with: move past them so they are not counted again.
        if (due.firstMissed.isValid())
            ctx.catalog()->markScheduleChecked(listed.name, now, {}, 0, {}, nullptr);
        o.status = due.firstMissed.isValid() ? QStringLiteral("skipped") : QStringLiteral("not-due");
        o.message = due.reason;
        return o;
    }
    QString err;
    if (!ctx.catalog()->tryLockSchedule(listed.name, owner, kLockTtlSeconds, &err)) {
        o.status = err.isEmpty() ? QStringLiteral("locked") : QStringLiteral("error");
        o.message = err.isEmpty() ? QStringLiteral("another runner is running it") : err;
        if (!err.isEmpty())
            o.error = {ExitCode::Usage, err};
        return o;
    }
    // Under the lock, decide again from the stored state: another runner may have run it a moment ago.
    const auto fresh = ctx.catalog()->schedule(listed.name);
    if (fresh)
        due = ScheduleDue::check(cron, sinceOf(*fresh), now, tz, policy);
    if (!fresh || !fresh->enabled || !due.due) {
        ctx.catalog()->unlockSchedule(listed.name, owner);
        o.status = QStringLiteral("not-due");
        o.message = QStringLiteral("already run by another runner");
        return o;
    }
    PromotionRule rule;
    if (const Error e = CliAutomation::promotionRule(ctx, &rule)) {
        ctx.catalog()->unlockSchedule(listed.name, owner);
        o.status = QStringLiteral("error");
        o.error = e;
        o.message = e.message;
        return o;
    }
    o.type = CliAutomation::typeList(Promotion::forTime(due.fireTime, tz, rule));
    ctx.err() << "run-due: " << listed.name << ": " << due.reason << " → backup of " << listed.profile << " (" << o.type
              << ")" << Qt::endl;

    CliSecrets secrets(ctx);
    BackupJob::Request req;
    JobResult result;
    if (const Error e = buildRequest(ctx, secrets, *fresh, req)) {
        result.error = e;
    } else {
        req.options.type = o.type;
        req.options.label = QStringLiteral("schedule %1").arg(listed.name);
        // Artifact names carry the start time to the second: a second backup of a profile within the same second
        // (two schedules of one profile, both due) would collide with the first, so wait for the next second.
        static qint64 lastBackupSecond = 0;
        while (QDateTime::currentSecsSinceEpoch() <= lastBackupSecond)
            QThread::msleep(20);
        auto job = std::make_unique<BackupJob>(std::move(req));
        const auto watch =
            CliAutomation::watchStalls(ctx, job.get(), listed.profile,
                                       QStringLiteral("scheduled backup %1 of %2").arg(listed.name, listed.profile));
        result = CliJobRunner(ctx, verbose).run(std::move(job));
        lastBackupSecond = QDateTime::currentSecsSinceEpoch();
    }
    o.recordId = result.recordId;
    o.error = result.error;
    o.status = result.ok()                                ? QStringLiteral("COMPLETED")
               : result.error.code == ExitCode::Cancelled ? QStringLiteral("CANCELLED")
                                                          : QStringLiteral("FAILED");
    o.message = result.ok() ? QStringLiteral("backup #%1 completed").arg(result.recordId) : result.error.message;
    if (!ctx.catalog()->markScheduleChecked(listed.name, now, now, result.recordId, o.status, &err))
        ctx.err() << "lifeboatctl: warning: " << err << Qt::endl;
    ctx.catalog()->unlockSchedule(listed.name, owner);
    CliAutomation::notify(ctx, CliAutomation::backupNotification(listed.profile, listed.name, result.recordId,
                                                                 result.error, result.details));
    return o;
}
} // namespace

int RunDueCommand::run(CliContext &ctx, const QStringList &args) {
    ArgParser p(QStringLiteral("run-due"), QStringLiteral("[--as-of TIME] [--schedule NAME] [--no-prune] [--verbose]"));
    p.option(QStringLiteral("as-of"), QStringLiteral("Act as if it were this time (ISO 8601; for tests and replays)."),
             QStringLiteral("TIME"));
    p.option(QStringLiteral("schedule"), QStringLiteral("Only this schedule."), QStringLiteral("NAME"));
    p.flag(QStringLiteral("no-prune"), QStringLiteral("Do not apply retention after a scheduled backup."));
    p.flag(QStringLiteral("verbose"), QStringLiteral("Show pg_dump's log."));
    if (auto rc = p.parse(ctx, args, 0, 0))
        return *rc;
    QDateTime now = QDateTime::currentDateTimeUtc();
    if (p.isSet(QStringLiteral("as-of"))) {
        now = CliAutomation::parseTime(p.value(QStringLiteral("as-of")));
        if (!now.isValid())
            return ctx.usage(QStringLiteral("--as-of: \"%1\" is not an ISO 8601 time (e.g. 2026-03-29T01:00:00Z)")
                                 .arg(p.value(QStringLiteral("as-of"))));
    }
    const QString only = p.value(QStringLiteral("schedule"));
    const QString owner = QStringLiteral("%1:%2:%3")
                              .arg(QSysInfo::machineHostName())
                              .arg(QCoreApplication::applicationPid())
                              .arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
    QJsonArray report;
    int rc = 0;
    bool found = only.isEmpty();
    for (const ScheduleRecord &s : ctx.catalog()->schedules()) {
        if (!only.isEmpty() && s.name != only)
            continue;
        found = true;
        if (!s.enabled)
            continue;
        const Outcome o = runOne(ctx, s, now, owner, p.isSet(QStringLiteral("verbose")));
        if (o.error && rc == 0)
            rc = toInt(o.error.code);
        QJsonObject entry{{QStringLiteral("schedule"), s.name},     {QStringLiteral("profile"), s.profile},
                          {QStringLiteral("status"), o.status},     {QStringLiteral("message"), o.message},
                          {QStringLiteral("recordId"), o.recordId}, {QStringLiteral("type"), o.type}};
        if (!ctx.json())
            ctx.err() << "run-due: " << s.name << ": " << o.status << ": " << o.message << Qt::endl;
        // Retention for the profile after each scheduled backup that produced one.
        if (o.recordId > 0 && !p.isSet(QStringLiteral("no-prune"))) {
            QJsonArray decisions;
            const int prc = PruneCommand::prune(ctx, s.profile, {}, now, false, &decisions);
            int deleted = 0;
            for (const auto &d : decisions)
                deleted += d.toObject().value(QStringLiteral("outcome")).toString() == QLatin1String("deleted");
            entry[QStringLiteral("pruned")] = deleted;
            if (!ctx.json() && deleted > 0)
                ctx.err() << "run-due: " << s.profile << ": retention deleted " << deleted << " backup(s)" << Qt::endl;
            if (prc != 0 && rc == 0)
                rc = prc;
        }
        report.append(entry);
    }
    if (!found)
        return ctx.usage(QStringLiteral("no schedule named \"%1\" (see `lifeboatctl schedule list`)").arg(only));
    if (ctx.json())
        ctx.printJson(report);
    return rc;
}
