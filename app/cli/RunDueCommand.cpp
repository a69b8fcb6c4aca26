#include "RunDueCommand.h"

#include "ArgParser.h"
#include "CliAutomation.h"
#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSecrets.h"
#include "CliUseCase.h"
#include "PruneCommand.h"

#include "jobs/Job.h"
#include "jobs/StallWatch.h"
#include "ops/MissedBackups.h"
#include "ops/Notify.h"
#include "ops/ScheduledBackup.h"
#include "ops/StorageLow.h"
#include "ops/Verify.h"
#include "ops/WalCapture.h"
#include "schedule/DrillIdentities.h"
#include "schedule/DueRunner.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QThread>

using namespace lifeboat;

namespace {
struct Outcome {
    QString status; // not-due | skipped | locked | COMPLETED | FAILED | CANCELLED | error
    QString message;
    qint64 recordId = 0;
    QString type;
    Error error;
    bool drill = false; // a verify schedule: recordId is the backup it verified, nothing to prune
    QString report;
};

// One schedule, blocking: the decision, the lock and the record are DueRunner's (shared with the desktop app's
// runner); the backup runs through CliJobRunner with the stall watch, secrets from CliSecrets.
Outcome runOne(CliContext &ctx, DueRunner &runner, const ScheduleRecord &listed, const QDateTime &now, bool verbose) {
    Outcome o;
    const DueRunner::Claim claim = runner.claim(listed, now);
    if (!claim.claimed()) {
        o.status = claim.status();
        o.message = claim.message;
        o.error = claim.error;
        return o;
    }
    o.type = claim.type;
    const QString what = listed.sourceKind == QLatin1String("database")
                             ? listed.profile
                             : DueRunner::kindLabel(listed.sourceKind) + QLatin1Char(' ') + listed.profile;
    if (listed.isDrill())
        ctx.err() << "run-due: " << listed.name << ": " << claim.message
                  << " → drill: verify the newest good backup of " << listed.profile << Qt::endl;
    else
        ctx.err() << "run-due: " << listed.name << ": " << claim.message
                  << (listed.sourceKind == QLatin1String("base") ? " → base backup of profile " : " → backup of ")
                  << (listed.sourceKind == QLatin1String("base") ? listed.profile : what) << " (" << o.type << ")"
                  << Qt::endl;

    CliUseCase useCase(ctx);
    CliSecrets &secrets = useCase.secrets();
    JobResult result;
    DueRunner::Secrets lookups;
    lookups.profilePassword = [&](const QString &profile) {
        return secrets.profilePassword(profile, false, QString());
    };
    lookups.storageSecret = [&](const QString &storage) { return secrets.storageSecret(storage); };
    Error built;
    std::unique_ptr<Job> job;
    std::function<void(const JobResult &)> finished; // a backup's: tell the outcome
    if (listed.isDrill()) {
        // A drill of an encrypted backup opens it with a key this installation keeps (DrillIdentities).
        PreparedJob drill = Verify::drill(runner, claim, lookups, [&](qint64 recordId, QString *missing) {
            const auto record = ctx.catalog()->get(recordId);
            return record ? DrillIdentities::forRecord(ctx.config(), secrets.persistentStore(), *record, missing)
                          : std::vector<AgeIdentity>();
        });
        built = drill.error;
        job = std::move(drill.job);
    } else {
        PreparedJob backup = ScheduledBackup::prepare(useCase.context(), runner, claim);
        built = backup.error;
        job = std::move(backup.job);
        finished = std::move(backup.finished);
    }
    if (!job) {
        result.error = built;
    } else {
        // Artifact names carry the start time to the second: a second backup of a profile within the same second
        // (two schedules of one profile, both due) would collide with the first, so wait for the next second.
        static qint64 lastBackupSecond = 0;
        while (QDateTime::currentSecsSinceEpoch() <= lastBackupSecond)
            QThread::msleep(20);
        // A backup is watched for stalls by its use case; a drill here.
        const auto watch = listed.isDrill()
                               ? Notify::watchStalls(useCase.context(), job.get(), listed.profile,
                                                     QStringLiteral("drill %1 of %2").arg(listed.name, listed.profile))
                               : nullptr;
        result = CliJobRunner(ctx, verbose).run(std::move(job));
        lastBackupSecond = QDateTime::currentSecsSinceEpoch();
    }
    const DueRunner::Run run = runner.finish(claim, result, now);
    o.recordId = run.recordId;
    o.error = result.error;
    o.status = run.status;
    o.message = run.message;
    if (!run.warning.isEmpty())
        ctx.err() << "lifeboatctl: warning: " << run.warning << Qt::endl;
    if (listed.isDrill()) {
        o.drill = true;
        o.report = run.report;
        if (!run.report.isEmpty())
            ctx.err() << "run-due: " << listed.name << ": report " << run.report << Qt::endl;
        useCase.context().notify(DueRunner::drillNotification(claim.schedule, result, run.report));
        return o;
    }
    finished(result);
    return o;
}
} // namespace

int RunDueCommand::run(CliContext &ctx, const ArgParser &p) {
    QDateTime now;
    if (auto rc = p.asOf(ctx, &now))
        return *rc;
    const QString only = p.value(QStringLiteral("schedule"));
    DueRunner runner(ctx.catalog(), ctx.config());
    QJsonArray report;
    int rc = 0;
    bool found = only.isEmpty();
    for (const ScheduleRecord &s : ctx.catalog()->schedules()) {
        if (!only.isEmpty() && s.name != only)
            continue;
        found = true;
        if (!s.enabled)
            continue;
        const Outcome o = runOne(ctx, runner, s, now, p.isSet(QStringLiteral("verbose")));
        if (o.error && rc == 0)
            rc = toInt(o.error.code);
        QJsonObject entry{{QStringLiteral("schedule"), s.name},   {QStringLiteral("profile"), s.profile},
                          {QStringLiteral("kind"), s.sourceKind}, {QStringLiteral("status"), o.status},
                          {QStringLiteral("message"), o.message}, {QStringLiteral("recordId"), o.recordId},
                          {QStringLiteral("type"), o.type}};
        if (o.drill)
            entry[QStringLiteral("report")] = o.report;
        if (!ctx.json())
            ctx.err() << "run-due: " << s.name << ": " << o.status << ": " << o.message << Qt::endl;
        // Retention for the source after each scheduled backup that produced one.
        if (!o.drill && o.recordId > 0 && !p.isSet(QStringLiteral("no-prune"))) {
            int deleted = 0;
            int prc = 0;
            if (s.sourceKind == QLatin1String("database")) {
                QJsonArray decisions;
                prc = PruneCommand::prune(ctx, s.profile, {}, now, false, &decisions, s.sourceKind);
                for (const auto &d : decisions)
                    deleted += d.toObject().value(QStringLiteral("outcome")).toString() == QLatin1String("deleted");
            } else {
                // File and Redis sources: only the records of that kind and name (DueRunner, as the desktop app).
                CliSecrets secrets(ctx);
                const DueRunner::PruneResult pr = runner.prune(
                    s.sourceKind, s.profile, now, [&](const QString &st) { return secrets.storageSecret(st); });
                deleted = pr.deleted;
                for (const QString &n : pr.notes)
                    ctx.err() << "lifeboatctl: " << n << Qt::endl;
                if (pr.error) {
                    ctx.err() << "lifeboatctl: " << pr.error.message << Qt::endl;
                    prc = toInt(pr.error.code);
                }
            }
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
    if (only.isEmpty()) {
        tellMissedBackups(ctx, now);
        tellStorageLow(ctx, now);
        tellWalCapture(ctx, now);
    }
    if (ctx.json())
        ctx.printJson(report);
    return rc;
}

void RunDueCommand::tellMissedBackups(CliContext &ctx, const QDateTime &now) {
    const QString key = QLatin1String(MissedBackups::kSettingsKey);
    QStringList alerted = ctx.config().option(key).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList before = alerted;
    const QList<MissedBackups::Miss> fresh =
        MissedBackups::untold(MissedBackups::detect(ctx.catalog().get(), ctx.catalog()->schedules(), now), &alerted);
    CliUseCase useCase(ctx);
    for (const MissedBackups::Miss &m : fresh) {
        ctx.err() << "run-due: backup.missed: " << m.notification.subject << Qt::endl;
        useCase.context().notify(m.notification);
    }
    if (alerted != before) {
        ctx.config().setOption(key, alerted.join(QLatin1Char('\n')));
        ctx.saveConfig();
    }
}

void RunDueCommand::tellStorageLow(CliContext &ctx, const QDateTime &now) {
    const QString key = QLatin1String(StorageLow::kSettingsKey);
    QStringList alerted = ctx.config().option(key).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList before = alerted;
    CliUseCase useCase(ctx);
    for (const StorageLow::Low &l :
         StorageLow::untold(StorageLow::detectAll(ctx.config(), ctx.catalog().get(), now), &alerted)) {
        ctx.err() << "run-due: storage.low: " << l.notification.subject << Qt::endl;
        useCase.context().notify(l.notification);
    }
    if (alerted != before) {
        ctx.config().setOption(key, alerted.join(QLatin1Char('\n')));
        ctx.saveConfig();
    }
}

void RunDueCommand::tellWalCapture(CliContext &ctx, const QDateTime &now) {
    const QString key = QLatin1String(WalCapture::kSettingsKey);
    QStringList alerted = ctx.config().option(key).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList before = alerted;
    CliUseCase useCase(ctx);
    CliSecrets &secrets = useCase.secrets();
    QList<WalCapture::Alert> current;
    QStringList ongoing;
    for (const WalCapture::Health &h :
         WalCapture::evaluateAll(ctx.catalog().get(), ctx.config().profiles(), ctx.home(), now,
                                 [&](const QString &profile) { return secrets.profilePassword(profile, false, {}); })) {
        current += WalCapture::alerts(h);
        ongoing += WalCapture::ongoing(h);
    }
    for (const WalCapture::Alert &a : WalCapture::untold(current, &alerted, ongoing)) {
        ctx.err() << "run-due: " << a.notification.event << ": " << a.notification.subject << Qt::endl;
        useCase.context().notify(a.notification);
    }
    if (alerted != before) {
        ctx.config().setOption(key, alerted.join(QLatin1Char('\n')));
        ctx.saveConfig();
    }
}

QList<CliCommand> RunDueCommand::commands() {
    return {{QStringLiteral("run-due"),
             {},
             QStringLiteral("[--as-of TIME] [--schedule NAME] [--no-prune] [--verbose]"),
             0,
             0,
             &run,
             cliOptions(R"(
--as-of TIME  Act as if it were this time (ISO 8601; for tests and replays).
--schedule NAME  Only this schedule.
--no-prune  Do not apply retention after a scheduled backup.
--verbose  Show pg_dump's log.)")}};
}
