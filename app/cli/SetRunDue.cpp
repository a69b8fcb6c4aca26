#include "SetRunDue.h"

#include "ArgParser.h"
#include "CliAutomation.h"
#include "CliContext.h"
#include "CliSecrets.h"
#include "SetCommand.h"
#include "jobs/RetentionPruner.h"
#include "schedule/DueRunner.h"

#include "jobs/BackupDeleter.h"
#include "retention/Promotion.h"
#include "schedule/CronExpression.h"
#include "schedule/ScheduleDue.h"
#include "sets/SetBackupJob.h"
#include "sets/SetPruner.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace lifeboat;

int SetRunDue::run(CliContext &ctx, const ArgParser &p) {
    QDateTime now = QDateTime::currentDateTimeUtc();
    if (p.isSet(QStringLiteral("as-of"))) {
        now = CliAutomation::parseTime(p.value(QStringLiteral("as-of")));
        if (!now.isValid())
            return ctx.usage(QStringLiteral("--as-of takes an ISO 8601 time, e.g. 2026-03-29T01:05:00Z"));
    }
    PromotionRule rule;
    if (Error e = RetentionPruner::promotionRule(ctx.config(), &rule))
        return ctx.fail(e);
    QJsonArray out;
    int rc = 0;
    for (const SetConfig &set : ctx.config().sets()) {
        if (set.cron.isEmpty() || (p.isSet(QStringLiteral("set")) && set.name != p.value(QStringLiteral("set"))))
            continue;
        QJsonObject row{{QStringLiteral("set"), set.name}};
        const CronExpression expr = CronExpression::parse(set.cron);
        const QTimeZone tz = DueRunner::timeZone(set.timeZone);
        if (!expr.isValid() || !tz.isValid()) {
            row.insert(QStringLiteral("status"), QStringLiteral("error"));
            row.insert(QStringLiteral("error"), expr.isValid() ? QStringLiteral("unknown time zone") : expr.error());
            out.append(row);
            rc = rc ? rc : 3;
            continue;
        }
        // Fire times are owed since the newest capture (a failed one too: its records exist), else since the set
        // was added. The capture time is the one in its set id: the runner's "now", so --as-of replays behave
        // like the live runner.
        QDateTime since = QDateTime::fromString(set.created, Qt::ISODate);
        for (const QString &id : ctx.catalog()->setIds(SetBackupJob::idPrefix(set.name))) {
            const QDateTime t = SetBackupJob::timeOf(id);
            if (t.isValid() && (!since.isValid() || t > since))
                since = t;
        }
        const DueResult due = ScheduleDue::check(expr, since, now, tz);
        row.insert(QStringLiteral("nextFire"), due.nextFire.toUTC().toString(Qt::ISODate));
        if (!due.due) {
            row.insert(QStringLiteral("status"), QStringLiteral("not-due"));
            out.append(row);
            if (!ctx.json())
                ctx.err() << set.name << ": not due (next " << due.nextFire.toUTC().toString(Qt::ISODate) << ")"
                          << Qt::endl;
            continue;
        }
        const QString type = RetentionPruner::typeList(Promotion::forTime(due.fireTime, tz, rule));
        CliSecrets secrets(ctx);
        const QString password = secrets.profilePassword(set.profile, false, QString());
        const JobResult r = SetCommand::capture(ctx, set, type, password, p.isSet(QStringLiteral("verbose")),
                                                due.fireTime.toUTC().toString(Qt::ISODate), now);
        row.insert(QStringLiteral("status"), r.ok() ? QStringLiteral("COMPLETED") : QStringLiteral("FAILED"));
        row.insert(QStringLiteral("type"), type);
        row.insert(QStringLiteral("setId"), r.details.value(QStringLiteral("setId")));
        if (!r.ok()) {
            row.insert(QStringLiteral("error"), r.error.message);
            rc = rc ? rc : toInt(r.error.code);
        }
        if (!ctx.json())
            ctx.err() << set.name << ": " << row.value(QStringLiteral("status")).toString() << " "
                      << row.value(QStringLiteral("setId")).toString() << " (" << type << ")"
                      << (r.ok() ? QString() : QStringLiteral(" — ") + r.error.message) << Qt::endl;
        if (!p.isSet(QStringLiteral("no-prune"))) {
            RetentionPolicy policy;
            if (!SetPruner::policyFor(ctx.config(), set, &policy)) {
                QList<RetentionPruner::Entry> entries = SetPruner::plan(*ctx.catalog(), set.name, policy, now);
                BackupDeleter deleter(ctx.config().storages(),
                                      [&](const QString &s) { return secrets.storageSecret(s); });
                int failed = 0;
                const int deleted = RetentionPruner::execute(*ctx.catalog(), entries, deleter, &failed);
                row.insert(QStringLiteral("pruned"), deleted);
                if (failed > 0)
                    rc = rc ? rc : toInt(ExitCode::Transfer);
            }
        }
        out.append(row);
    }
    if (ctx.json())
        ctx.printJson(out);
    return rc;
}

CliCommand SetRunDue::command() {
    return {QStringLiteral("set"),
            QStringLiteral("run-due"),
            QStringLiteral("[--as-of TIME] [--set NAME] [--no-prune]"),
            0,
            0,
            &SetRunDue::run,
            {{QStringLiteral("as-of"), QStringLiteral("Decide as if it were this time (ISO 8601)."),
              QStringLiteral("TIME")},
             {QStringLiteral("set"), QStringLiteral("Only this set."), QStringLiteral("NAME")},
             {QStringLiteral("no-prune"), QStringLiteral("Do not apply set retention after a capture.")},
             {QStringLiteral("verbose"), QStringLiteral("Show every member's log.")}}};
}
