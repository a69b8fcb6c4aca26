#include "schedule/DueRunner.h"

#include "crypto/AgeRecipient.h"
#include "jobs/BackupDeleter.h"
#include "jobs/RetentionPruner.h"
#include "jobs/StallWatch.h"
#include "jobs/StoreFactory.h"
#include "schedule/CronExpression.h"
#include "schedule/ScheduleDue.h"

#include <QCoreApplication>
#include <QSysInfo>
#include <QUuid>

namespace lifeboat {

QString DueRunner::Claim::status() const {
    switch (state) {
    case State::NotDue:
        return QStringLiteral("not-due");
    case State::Skipped:
        return QStringLiteral("skipped");
    case State::Locked:
        return QStringLiteral("locked");
    case State::Claimed:
        return QStringLiteral("claimed");
    case State::Error:
        return QStringLiteral("error");
    }
    return {};
}

DueRunner::DueRunner(std::shared_ptr<Catalog> catalog, ConfigStore config, QString owner)
    : m_catalog(std::move(catalog))
    , m_config(std::move(config))
    , m_owner(std::move(owner)) {}

QString DueRunner::newOwner() {
    return QStringLiteral("%1:%2:%3")
        .arg(QSysInfo::machineHostName())
        .arg(QCoreApplication::applicationPid())
        .arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
}

DueRunner::Claim DueRunner::claim(const ScheduleRecord &listed, const QDateTime &now) {
    Claim c;
    c.schedule = listed;
    const CronExpression cron = CronExpression::parse(listed.cron);
    const QTimeZone tz = timeZone(listed.timeZone);
    if (!cron.isValid() || !tz.isValid()) {
        c.state = Claim::State::Error;
        c.error = {ExitCode::Usage,
                   QStringLiteral("schedule \"%1\" is broken: %2")
                       .arg(listed.name, cron.isValid() ? QStringLiteral("unknown time zone") : cron.error())};
        c.message = c.error.message;
        return c;
    }
    const MissedRunPolicy policy =
        listed.missedPolicy == QLatin1String("skip") ? MissedRunPolicy::Skip : MissedRunPolicy::CatchUpOnce;
    auto sinceOf = [](const ScheduleRecord &s) { return s.lastCheck.isValid() ? s.lastCheck : s.created; };
    DueResult due = ScheduleDue::check(cron, sinceOf(listed), now, tz, policy);
    if (!due.due) {
        // Fire times dropped by the skip policy are dealt with: move past them so they are not counted again.
        if (due.firstMissed.isValid())
            m_catalog->markScheduleChecked(listed.name, now, {}, 0, {}, nullptr);
        c.state = due.firstMissed.isValid() ? Claim::State::Skipped : Claim::State::NotDue;
        c.message = due.reason;
        return c;
    }
    QString err;
    if (!m_catalog->tryLockSchedule(listed.name, m_owner, kLockTtlSeconds, &err)) {
        c.state = err.isEmpty() ? Claim::State::Locked : Claim::State::Error;
        c.message = err.isEmpty() ? QStringLiteral("another runner is running it") : err;
        if (!err.isEmpty())
            c.error = {ExitCode::Usage, err};
        return c;
    }
    // Under the lock, decide again from the stored state: another runner may have run it a moment ago.
    const auto fresh = m_catalog->schedule(listed.name);
    if (fresh)
        due = ScheduleDue::check(cron, sinceOf(*fresh), now, tz, policy);
    if (!fresh || !fresh->enabled || !due.due) {
        m_catalog->unlockSchedule(listed.name, m_owner);
        c.state = Claim::State::NotDue;
        c.message = QStringLiteral("already run by another runner");
        return c;
    }
    c.schedule = *fresh;
    PromotionRule rule;
    if (const Error e = RetentionPruner::promotionRule(m_config, &rule)) {
        m_catalog->unlockSchedule(listed.name, m_owner);
        c.state = Claim::State::Error;
        c.error = e;
        c.message = e.message;
        return c;
    }
    c.state = Claim::State::Claimed;
    c.fireTime = due.fireTime;
    c.type = RetentionPruner::typeList(Promotion::forTime(due.fireTime, tz, rule));
    c.message = due.reason;
    return c;
}

QStringList DueRunner::storagesFor(const ScheduleRecord &schedule) const {
    if (!schedule.storages.isEmpty())
        return schedule.storages;
    const auto profile = m_config.profile(schedule.profile);
    return profile ? profile->defaultStorages : QStringList();
}

BackupOptions DueRunner::optionsFor(const Claim &claim) {
    BackupOptions o;
    o.type = claim.type;
    o.label = QStringLiteral("schedule %1").arg(claim.schedule.name);
    return o;
}

Error DueRunner::buildRequest(const Claim &claim, BackupJob::Request &req, const SecretLookup &profilePassword,
                              const SecretLookup &storageSecret) const {
    const ScheduleRecord &s = claim.schedule;
    const auto profile = m_config.profile(s.profile);
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
    const QStringList storages = storagesFor(s);
    if (storages.isEmpty())
        return {ExitCode::Usage, QStringLiteral("schedule \"%1\": no storage (give the schedule --storage or the "
                                                "profile a default)")
                                     .arg(s.name)};
    for (const QString &name : storages) {
        const auto sc = m_config.storage(name);
        if (!sc)
            return {ExitCode::Usage, QStringLiteral("schedule \"%1\": unknown storage \"%2\"").arg(s.name, name)};
        Error err;
        auto store = StoreFactory::create(*sc, storageSecret(name), &err);
        if (!store)
            return err;
        req.stores.push_back(std::move(store));
    }
    req.password = profilePassword(profile->name);
    req.catalog = m_catalog;
    req.pgToolDir = m_config.option(QStringLiteral("pgToolDir"));
    req.options = optionsFor(claim);
    return {};
}

DueRunner::Run DueRunner::finish(const Claim &claim, const JobResult &result, const QDateTime &now) {
    Run r;
    r.recordId = result.recordId;
    r.status = result.ok()                                ? QStringLiteral("COMPLETED")
               : result.error.code == ExitCode::Cancelled ? QStringLiteral("CANCELLED")
                                                          : QStringLiteral("FAILED");
    r.message = result.ok() ? QStringLiteral("backup #%1 completed").arg(result.recordId) : result.error.message;
    QString err;
    if (!m_catalog->markScheduleChecked(claim.schedule.name, now, now, result.recordId, r.status, &err))
        r.warning = err;
    m_catalog->unlockSchedule(claim.schedule.name, m_owner);
    return r;
}

void DueRunner::release(const Claim &claim) {
    if (claim.claimed())
        m_catalog->unlockSchedule(claim.schedule.name, m_owner);
}

DueRunner::PruneResult DueRunner::prune(const QString &profile, const QDateTime &now,
                                        const SecretLookup &storageSecret) {
    PruneResult out;
    RetentionPolicy policy;
    if (const Error e = RetentionPruner::policyFor(m_config, m_catalog->schedules(), profile, &policy)) {
        out.error = e;
        return out;
    }
    QList<RetentionPruner::Entry> entries = RetentionPruner::plan(*m_catalog, profile, policy, now);
    BackupDeleter deleter(m_config.storages(), storageSecret);
    int failed = 0;
    out.deleted = RetentionPruner::execute(*m_catalog, entries, deleter, &failed);
    for (const RetentionPruner::Entry &e : entries) {
        if (e.decision.keep())
            ++out.kept;
        else
            ++out.expired;
        for (const QString &n : e.notes)
            out.notes << QStringLiteral("#%1: %2").arg(e.record.id).arg(n);
    }
    if (failed > 0)
        out.error = {ExitCode::Transfer,
                     QStringLiteral("%1 expired backup(s) of %2 could not be deleted").arg(failed).arg(profile)};
    return out;
}

QTimeZone DueRunner::timeZone(const QString &name) {
    return name.isEmpty() ? QTimeZone::systemTimeZone() : QTimeZone(name.toUtf8());
}

qint64 DueRunner::stallLimitMs(const ConfigStore &config) {
    bool ok = false;
    const double minutes = config.option(QStringLiteral("stallMinutes")).toDouble(&ok);
    return ok && minutes > 0 ? qint64(minutes * 60000) : StallWatch::kDefaultLimitMs;
}

bool DueRunner::stallCancel(const ConfigStore &config) {
    return config.option(QStringLiteral("stallCancel")) == QLatin1String("true");
}

Notification DueRunner::notification(const QString &profile, const QString &schedule, qint64 recordId,
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

} // namespace lifeboat
