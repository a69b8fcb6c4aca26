#include "CliAutomation.h"

#include "CliContext.h"
#include "CliSecrets.h"

#include "jobs/StallWatch.h"
#include "notify/NotificationDispatcher.h"

#include <QFile>

using namespace lifeboat;

QDateTime CliAutomation::parseTime(const QString &text) {
    QDateTime t = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text.trimmed(), Qt::ISODate);
    return t;
}

QTimeZone CliAutomation::timeZone(const QString &name) {
    return name.isEmpty() ? QTimeZone::systemTimeZone() : QTimeZone(name.toUtf8());
}

namespace {
Error countSetting(CliContext &ctx, const QString &key, int *value) {
    const QString v = ctx.config().option(key).trimmed();
    if (v.isEmpty())
        return {};
    bool ok = false;
    const int n = v.toInt(&ok);
    if (!ok || n < 0 || n > RetentionPolicy::kMaxCount)
        return {ExitCode::Usage, QStringLiteral("setting %1 must be a count from 0 to %2, not \"%3\"")
                                     .arg(key)
                                     .arg(RetentionPolicy::kMaxCount)
                                     .arg(v)};
    *value = n;
    return {};
}
} // namespace

Error CliAutomation::policyFor(CliContext &ctx, const QString &profile, RetentionPolicy *policy) {
    RetentionPolicy p;
    for (const auto &[key, field] : {std::pair{QStringLiteral("retentionDaily"), &p.daily},
                                     std::pair{QStringLiteral("retentionWeekly"), &p.weekly},
                                     std::pair{QStringLiteral("retentionMonthly"), &p.monthly}}) {
        if (const Error e = countSetting(ctx, key, field))
            return e;
    }
    if (const Error e = p.applyEnvironment())
        return e;
    for (const ScheduleRecord &s : ctx.catalog()->schedules()) {
        if (s.profile != profile)
            continue;
        if (s.keepDaily >= 0)
            p.daily = s.keepDaily;
        if (s.keepWeekly >= 0)
            p.weekly = s.keepWeekly;
        if (s.keepMonthly >= 0)
            p.monthly = s.keepMonthly;
    }
    *policy = p;
    return {};
}

RetentionItem CliAutomation::itemFor(const BackupRecord &r) {
    RetentionItem it;
    it.id = QString::number(r.id);
    it.source = r.profile;
    it.started = r.started;
    static const QHash<QString, BackupStatus> statuses{{BackupRecord::statusInProgress(), BackupStatus::InProgress},
                                                       {BackupRecord::statusCompleted(), BackupStatus::Completed},
                                                       {BackupRecord::statusFailed(), BackupStatus::Failed},
                                                       {BackupRecord::statusCancelled(), BackupStatus::Cancelled},
                                                       {BackupRecord::statusExpired(), BackupStatus::Expired},
                                                       {BackupRecord::statusDeleted(), BackupStatus::Deleted}};
    it.status = statuses.value(r.status, BackupStatus::InProgress); // unknown: never touched
    const QStringList types = r.type.toUpper().split(QLatin1Char(','), Qt::SkipEmptyParts);
    it.manual = types.isEmpty() || types.contains(QStringLiteral("MANUAL"));
    it.isDaily = types.contains(QStringLiteral("DAILY"));
    it.isWeekly = types.contains(QStringLiteral("WEEKLY"));
    it.isMonthly = types.contains(QStringLiteral("MONTHLY"));
    it.label = r.label;
    if (it.manual && r.expires.isValid() && r.started.isValid())
        it.keepDays = std::max<qint64>(1, (r.started.secsTo(r.expires) + 86399) / 86400);
    // A record whose only copies are local files that are all gone holds no backup any more.
    bool anyRemote = false;
    bool anyLocal = false;
    for (const BackupLocation &l : r.locations) {
        if (l.kind == QLatin1String("local"))
            anyLocal = anyLocal || QFile::exists(l.path);
        else
            anyRemote = true;
    }
    it.hasLocation = anyRemote || anyLocal;
    return it;
}

Error CliAutomation::promotionRule(CliContext &ctx, PromotionRule *rule) {
    PromotionRule r;
    const QString day = ctx.config().option(QStringLiteral("promotionWeekDay")).trimmed().toLower();
    if (!day.isEmpty()) {
        static const QStringList names{QStringLiteral("monday"),    QStringLiteral("tuesday"),
                                       QStringLiteral("wednesday"), QStringLiteral("thursday"),
                                       QStringLiteral("friday"),    QStringLiteral("saturday"),
                                       QStringLiteral("sunday")};
        const int i = names.indexOf(day);
        if (i < 0)
            return {
                ExitCode::Usage,
                QStringLiteral("setting promotionWeekDay must be a day name (monday..sunday), not \"%1\"").arg(day)};
        r.weekDay = Qt::DayOfWeek(i + 1);
    }
    const QString md = ctx.config().option(QStringLiteral("promotionMonthDay")).trimmed();
    if (!md.isEmpty()) {
        bool ok = false;
        r.monthDay = md.toInt(&ok);
        if (!ok || r.monthDay < 1 || r.monthDay > 31)
            return {ExitCode::Usage,
                    QStringLiteral("setting promotionMonthDay must be 1..31 (31: the last day), not \"%1\"").arg(md)};
    }
    *rule = r;
    return {};
}

QString CliAutomation::typeList(const PromotionFlags &flags) {
    QStringList t{QStringLiteral("DAILY")};
    if (flags.weekly)
        t << QStringLiteral("WEEKLY");
    if (flags.monthly)
        t << QStringLiteral("MONTHLY");
    return t.join(QLatin1Char(','));
}

void CliAutomation::notify(CliContext &ctx, const Notification &n) {
    const QList<NotifierRecord> channels = ctx.catalog()->notifiers();
    if (channels.isEmpty())
        return;
    CliSecrets secrets(ctx);
    const QStringList problems = NotificationDispatcher::dispatch(channels, n, [&](const QString &name) {
        return secrets.secret(NotificationDispatcher::passwordKey(name), false, QString());
    });
    for (const QString &p : problems)
        ctx.err() << "lifeboatctl: warning: notification not delivered: " << p << Qt::endl;
}

std::unique_ptr<StallWatch> CliAutomation::watchStalls(CliContext &ctx, Job *job, const QString &profile,
                                                       const QString &what) {
    bool ok = false;
    const double minutes = ctx.config().option(QStringLiteral("stallMinutes")).toDouble(&ok);
    const qint64 limitMs = ok && minutes > 0 ? qint64(minutes * 60000) : StallWatch::kDefaultLimitMs;
    auto watch = std::make_unique<StallWatch>(
        job, limitMs, ctx.config().option(QStringLiteral("stallCancel")) == QLatin1String("true"));
    QObject::connect(watch.get(), &StallWatch::stallDetected, watch.get(), [&ctx, profile, what](const QString &m) {
        ctx.err() << "lifeboatctl: stalled: " << m << Qt::endl;
        Notification n;
        n.event = QStringLiteral("job.stalled");
        n.failure = true;
        n.profile = profile;
        n.subject = QStringLiteral("[Lifeboat] STALLED: %1").arg(what);
        n.text = m;
        notify(ctx, n);
    });
    return watch;
}

Notification CliAutomation::backupNotification(const QString &profile, const QString &schedule, qint64 recordId,
                                               const Error &error, const QJsonObject &details) {
    Notification n;
    n.profile = profile;
    n.failure = error.isError();
    n.event = n.failure ? QStringLiteral("backup.failed") : QStringLiteral("backup.completed");
    const QString what = schedule.isEmpty() ? QStringLiteral("Backup of %1").arg(profile)
                                            : QStringLiteral("Scheduled backup %1 of %2").arg(schedule, profile);
    if (n.failure) {
        n.subject = QStringLiteral("[Lifeboat] FAILED: %1").arg(what);
        n.text = QStringLiteral("%1 failed (exit %2): %3").arg(what).arg(toInt(error.code)).arg(error.message);
    } else {
        n.subject = QStringLiteral("[Lifeboat] OK: %1").arg(what);
        n.text = QStringLiteral("%1 completed: backup #%2, %3 (%4 bytes)")
                     .arg(what)
                     .arg(recordId)
                     .arg(details.value(QStringLiteral("filename")).toString())
                     .arg(details.value(QStringLiteral("size")).toInteger());
    }
    n.fields = details;
    n.fields[QStringLiteral("schedule")] = schedule;
    n.fields[QStringLiteral("recordId")] = recordId;
    n.fields[QStringLiteral("exitCode")] = toInt(error.code);
    if (n.failure)
        n.fields[QStringLiteral("error")] = error.message;
    return n;
}
