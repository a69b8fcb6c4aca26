#include "schedule/DueRunner.h"

#include "jobs/BackupDeleter.h"
#include "jobs/RetentionPruner.h"
#include "jobs/StallWatch.h"
#include "schedule/CronExpression.h"
#include "schedule/ScheduleDue.h"
#include "wal/WalPruner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
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
    if (schedule.isDrill())
        return {}; // a drill writes no backup
    if (!schedule.storages.isEmpty())
        return schedule.storages;
    if (schedule.sourceKind == QLatin1String("files")) {
        const auto f = m_config.fileSource(schedule.profile);
        return f ? f->storages : QStringList();
    }
    if (schedule.sourceKind == QLatin1String("redis")) {
        const auto r = m_config.redisSource(schedule.profile);
        return r ? r->storages : QStringList();
    }
    const auto profile = m_config.profile(schedule.profile);
    return profile ? profile->defaultStorages : QStringList();
}

QString DueRunner::kindLabel(const QString &kind) {
    if (kind == QLatin1String("files"))
        return QStringLiteral("file source");
    if (kind == QLatin1String("redis"))
        return QStringLiteral("Redis source");
    if (kind == QLatin1String("verify"))
        return QStringLiteral("drill of profile");
    return QStringLiteral("profile"); // database and base backups alike
}

Error DueRunner::checkSource(const ScheduleRecord &s) const {
    bool exists = false;
    QString hint;
    if (s.sourceKind == QLatin1String("database") || s.sourceKind == QLatin1String("base")) {
        exists = m_config.profile(s.profile).has_value();
        hint = QStringLiteral("lifeboatctl profile list");
    } else if (s.sourceKind == QLatin1String("files")) {
        exists = m_config.fileSource(s.profile).has_value();
        hint = QStringLiteral("lifeboatctl files list");
    } else if (s.sourceKind == QLatin1String("redis")) {
        exists = m_config.redisSource(s.profile).has_value();
        hint = QStringLiteral("lifeboatctl redis list");
    } else if (s.isDrill()) {
        exists = m_config.profile(s.profile).has_value();
        hint = QStringLiteral("lifeboatctl profile list");
        const QString target = s.verifyTarget;
        if (exists && !target.isEmpty() && target != QLatin1String(ScheduleRecord::kVerifySandbox) &&
            !m_config.profile(target))
            return {ExitCode::Usage, QStringLiteral("drill \"%1\": its target profile \"%2\" no longer exists (see "
                                                    "`lifeboatctl profile list`; change it with `lifeboatctl schedule "
                                                    "add %1 --verify --profile %3 --target PROFILE --replace`)")
                                         .arg(s.name, target, s.profile)};
    } else {
        return {ExitCode::Usage, QStringLiteral("schedule \"%1\" has the source kind \"%2\", which this version "
                                                "cannot run (database, base, files, redis or verify)")
                                     .arg(s.name, s.sourceKind)};
    }
    if (!exists)
        return {ExitCode::Usage, QStringLiteral("schedule \"%1\": %2 \"%3\" no longer exists (see `%4`)")
                                     .arg(s.name, kindLabel(s.sourceKind), s.profile, hint)};
    return {};
}

BackupOptions DueRunner::optionsFor(const Claim &claim) {
    BackupOptions o;
    o.type = claim.type;
    o.label = QStringLiteral("schedule %1").arg(claim.schedule.name);
    o.compression = claim.schedule.compression; // run-due and the tray runner alike
    return o;
}

std::optional<BackupRecord> DueRunner::drillBackup(Catalog &catalog, const QString &profile) {
    CatalogFilter f;
    f.profile = profile;
    f.kind = QStringLiteral("database");
    f.status = BackupRecord::statusCompleted();
    f.limit = 1;
    const QList<BackupRecord> newest = catalog.list(f);
    if (newest.isEmpty())
        return std::nullopt;
    return newest.first();
}

Error DueRunner::buildVerifyRequest(const Claim &claim, VerifyJob::Request &req, const Secrets &secrets) const {
    const ScheduleRecord &s = claim.schedule;
    if (const Error e = checkSource(s))
        return e;
    const auto backup = drillBackup(*m_catalog, s.profile);
    if (!backup)
        return {ExitCode::Usage, QStringLiteral("drill \"%1\": profile \"%2\" has no successful backup to verify yet "
                                                "— take one with `lifeboatctl backup %2`")
                                     .arg(s.name, s.profile)};
    req.source = QString::number(backup->id);
    req.sandbox = s.verifyTarget == QLatin1String(ScheduleRecord::kVerifySandbox);
    if (!req.sandbox) {
        const QString targetName = s.verifyTarget.isEmpty() ? s.profile : s.verifyTarget;
        const auto target = m_config.profile(targetName);
        if (!target)
            return {ExitCode::Usage,
                    QStringLiteral("drill \"%1\": profile \"%2\" no longer exists").arg(s.name, targetName)};
        req.serverConninfo = target->conninfo;
        if (secrets.profilePassword)
            req.password = secrets.profilePassword(targetName);
    }
    req.catalog = m_catalog;
    req.storages = m_config.storages();
    // The copy may be read from any storage that holds one: the S3 ones need their secrets up front.
    if (secrets.storageSecret) {
        for (const BackupLocation &l : backup->locations) {
            const auto sc = m_config.storage(l.storage);
            if (sc && sc->isS3() && !req.storageSecrets.contains(l.storage))
                req.storageSecrets.insert(l.storage, secrets.storageSecret(l.storage));
        }
    }
    req.pgToolDir = m_config.option(QStringLiteral("pgToolDir"));
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
    if (claim.schedule.isDrill()) {
        if (result.ok())
            r.message = QStringLiteral("drill of backup #%1 passed").arg(result.recordId);
        if (!result.details.isEmpty())
            r.report = keepReport(m_config, claim.schedule, result, &r.warning);
    }
    // The period a scheduled backup belongs to is its fire time's (also under run-due --as-of replays). A drill's
    // record id is the backup it verified: that backup's period stays its own.
    if (!claim.schedule.isDrill() && result.recordId > 0 && claim.fireTime.isValid() &&
        !m_catalog->setScheduledFor(result.recordId, claim.fireTime, &err))
        r.warning = err;
    if (!m_catalog->markScheduleChecked(claim.schedule.name, now, now, result.recordId, r.status, &err))
        r.warning = err;
    m_catalog->unlockSchedule(claim.schedule.name, m_owner);
    return r;
}

void DueRunner::release(const Claim &claim) {
    if (claim.claimed())
        m_catalog->unlockSchedule(claim.schedule.name, m_owner);
}

DueRunner::PruneResult DueRunner::prune(const QString &kind, const QString &profile, const QDateTime &now,
                                        const SecretLookup &storageSecret) {
    PruneResult out;
    RetentionPolicy policy;
    if (const Error e = retentionPolicy(m_config, m_catalog->schedules(), kind, profile, &policy)) {
        out.error = e;
        return out;
    }
    QList<RetentionPruner::Entry> entries =
        RetentionPruner::plan(*m_catalog, profile, policy, now, kind, m_config.storages());
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
    // Then the WAL no remaining base backup needs, as `prune` does (the catalog says which base backups stay: one
    // whose deletion failed still needs its WAL).
    if (kind == QLatin1String("base")) {
        const WalPruner::Result wal =
            WalPruner::prune(*m_catalog, profile, {}, false, m_config.storages(), storageSecret);
        out.walRemoved = wal.outcome.removed;
        for (const QString &n : wal.outcome.problems)
            out.notes << QStringLiteral("WAL not removed: %1").arg(n);
        if (wal.outcome.error && !out.error)
            out.error = wal.outcome.error;
    }
    return out;
}

Error DueRunner::retentionPolicy(const ConfigStore &config, const QList<ScheduleRecord> &schedules, const QString &kind,
                                 const QString &source, RetentionPolicy *policy) {
    if (kind != QLatin1String("base"))
        return RetentionPruner::policyForSource(config, schedules, kind, source, policy);
    // The profile's database schedules first (their zone counts the periods, as `prune` does), then its base
    // schedules, whose overrides are applied last and so win.
    QList<ScheduleRecord> ordered;
    for (const QString &k : {QStringLiteral("database"), QStringLiteral("base")})
        for (const ScheduleRecord &s : schedules)
            if (s.profile == source && s.sourceKind == k) {
                ordered << s;
                ordered.last().sourceKind = kind;
            }
    return RetentionPruner::policyForSource(config, ordered, kind, source, policy);
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

QString DueRunner::reportDirectory(const ConfigStore &config) {
    return QFileInfo(config.path()).absoluteDir().filePath(QStringLiteral("reports"));
}

QString DueRunner::keepReport(const ConfigStore &config, const ScheduleRecord &schedule, const JobResult &result,
                              QString *warning) {
    const QString dir = reportDirectory(config);
    const QString base =
        QDir(dir).filePath(QStringLiteral("drill-%1-backup%2-%3")
                               .arg(schedule.name)
                               .arg(result.recordId)
                               .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"))));
    if (!QDir().mkpath(dir)) {
        *warning = QStringLiteral("cannot create the report directory %1").arg(dir);
        return {};
    }
    const QByteArray json = QJsonDocument(result.details).toJson(QJsonDocument::Indented);
    const QByteArray html = VerifyReport::fromJson(result.details).toHtml().toUtf8();
    for (const auto &[path, bytes] :
         {std::pair{base + QStringLiteral(".json"), json}, std::pair{base + QStringLiteral(".html"), html}}) {
        QSaveFile f(path); // written whole or not at all
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
            *warning = QStringLiteral("cannot write the drill report %1: %2").arg(path, f.errorString());
            return {};
        }
    }
    return base + QStringLiteral(".html");
}

Notification DueRunner::drillNotification(const ScheduleRecord &schedule, const JobResult &result,
                                          const QString &report) {
    Notification n;
    n.profile = schedule.profile;
    n.failure = !result.ok();
    n.event = n.failure ? QStringLiteral("verify.failed") : QStringLiteral("verify.passed");
    const QString where = schedule.verifyTarget.isEmpty() ? QStringLiteral("its own server")
                          : schedule.verifyTarget == QLatin1String(ScheduleRecord::kVerifySandbox)
                              ? QStringLiteral("a sandbox cluster")
                              : QStringLiteral("the server of profile %1").arg(schedule.verifyTarget);
    const QString reportLine = report.isEmpty() ? QString() : QStringLiteral("\nReport: %1").arg(report);
    if (n.failure && result.recordId <= 0) {
        // Nothing was verified: no backup, or the drill could not be set up.
        n.subject =
            QStringLiteral("[Lifeboat] Drill FAILED: %1 of %2 did not run").arg(schedule.name, schedule.profile);
        n.text = QStringLiteral("Drill %1 of %2 could not verify anything: %3\nNext: fix the cause above and run "
                                "`lifeboatctl run-due --schedule %1`.")
                     .arg(schedule.name, schedule.profile, result.error.message);
    } else if (n.failure) {
        n.subject = QStringLiteral("[Lifeboat] Drill FAILED: backup #%1 of %2 (schedule %3)")
                        .arg(result.recordId)
                        .arg(schedule.profile, schedule.name);
        n.text = QStringLiteral("Drill %1 restored backup #%2 of %3 on %4 and it failed: %5%6\nNext: do not rely "
                                "on this backup — take a fresh one now (`lifeboatctl backup %3`), then read the report "
                                "and check the storage it came from.")
                     .arg(schedule.name)
                     .arg(result.recordId)
                     .arg(schedule.profile, where, result.error.message, reportLine);
    } else {
        n.subject = QStringLiteral("[Lifeboat] Drill passed: backup #%1 of %2 (schedule %3)")
                        .arg(result.recordId)
                        .arg(schedule.profile, schedule.name);
        n.text = QStringLiteral("Drill %1 restored backup #%2 of %3 on %4: row counts, foreign keys, every table "
                                "read and object counts passed.%5\nNext: nothing to do.")
                     .arg(schedule.name)
                     .arg(result.recordId)
                     .arg(schedule.profile, where, reportLine);
    }
    n.fields[QStringLiteral("schedule")] = schedule.name;
    n.fields[QStringLiteral("recordId")] = result.recordId;
    n.fields[QStringLiteral("exitCode")] = toInt(result.error.code);
    n.fields[QStringLiteral("report")] = report;
    if (n.failure)
        n.fields[QStringLiteral("error")] = result.error.message;
    return n;
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
