#pragma once

#include "catalog/Catalog.h"
#include "catalog/ConfigStore.h"
#include "catalog/ScheduleRecord.h"
#include "core/ExitCode.h"
#include "files/FilesBackupJob.h"
#include "jobs/BackupJob.h"
#include "jobs/JobProgress.h"
#include "notify/Notification.h"
#include "pitr/BaseBackupJob.h"
#include "redis/RedisBackupJob.h"
#include "restore/VerifyJob.h"
#include "retention/RetentionPolicy.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTimeZone>

#include <functional>
#include <memory>
#include <optional>

namespace lifeboat {

// One scheduled run, split into the steps every runner shares, so `lifeboatctl run-due` (blocking, on the CLI's
// main thread) and the desktop app's tray runner (each step on the catalog thread, the backup as a tracked job)
// decide and record identically and never double-run:
//   claim()        is it due (ScheduleDue, missed-run policy)? take the schedule's lock, decide again from the
//                  stored state under the lock (another runner may have just run it), compute DAILY/WEEKLY/MONTHLY;
//   (the job)      built by the use cases in services/ops from the claim: ops/ScheduledBackup hands a database,
//                  base, file or Redis schedule to the backup use case of its kind; a recovery drill (kind
//                  "verify") is ops/Verify's, from buildVerifyRequest();
//   finish()       record the run (last check, backup id, status; a drill's report kept under the home) and
//                  release the lock — or release() when the job never started;
//   prune()        retention for the schedule's source (its kind and name) after a scheduled backup;
//   notification() the message for the notifiers and the desktop (never carries a secret); drillNotification()
//                  for a drill (verify.passed / verify.failed).
// Every method blocks on the catalog: call it from a worker, the catalog thread or a CLI — never the GUI thread.
// With a PostgreSQL catalog the lock is a session advisory lock, so claim(), finish() and release() of one run
// must be made on the same thread (the same connection).
class DueRunner {
public:
    // A lock older than this is treated as abandoned (SQLite catalog; a live runner on the same host is detected
    // by its pid long before). Longer than any sane backup.
    static constexpr int kLockTtlSeconds = 12 * 3600;

    struct Claim {
        enum class State { NotDue, Skipped, Locked, Claimed, Error };
        State state = State::NotDue;
        ScheduleRecord schedule; // the stored state read under the lock when claimed
        QDateTime fireTime;      // the fire time this run stands for
        QString type;            // "DAILY", "DAILY,WEEKLY", …
        QString message;         // why (due reason, "another runner is running it", the error)
        Error error;

        bool claimed() const { return state == State::Claimed; }
        // not-due | skipped | locked | claimed | error (the run-due JSON vocabulary)
        QString status() const;
    };

    struct Run {
        QString status; // COMPLETED | FAILED | CANCELLED
        QString message;
        qint64 recordId = 0;
        QString warning; // recording the run failed (the backup itself is not affected)
        QString report;  // a drill: the HTML report kept under the home (reports/…), empty when none was made
    };

    struct PruneResult {
        int kept = 0;
        int expired = 0;
        int deleted = 0;
        int walRemoved = 0; // kind "base": WAL copies no kept base backup needs, removed after the base backups
        QStringList notes;  // "#12: already missing: …", "#13: <deletion error>"
        Error error;        // Usage: bad retention settings; Transfer: some copy could not be deleted
    };

    using SecretLookup = std::function<QString(const QString &name)>;
    // Where a job's secrets come from; each lookup is called only for what the schedule's source needs.
    struct Secrets {
        SecretLookup profilePassword; // database profile name → password (empty: libpq's own sources)
        SecretLookup storageSecret;   // storage name → S3 secret key (empty: the AWS chain)
    };

    // The newest good (COMPLETED) database backup of `profile`, which a drill verifies.
    static std::optional<BackupRecord> drillBackup(Catalog &catalog, const QString &profile);

    // `owner` identifies this runner in the lock (host:pid:uuid, see newOwner()).
    DueRunner(std::shared_ptr<Catalog> catalog, ConfigStore config, QString owner = newOwner());

    static QString newOwner();
    QString owner() const { return m_owner; }

    Claim claim(const ScheduleRecord &listed, const QDateTime &now);
    // The storages a claimed schedule writes to: its own, else the source's defaults (profile, file or Redis source).
    QStringList storagesFor(const ScheduleRecord &schedule) const;
    // Does the schedule's source still exist in the configuration? A Usage error naming it when not (or when the
    // kind is unknown).
    Error checkSource(const ScheduleRecord &schedule) const;
    // The VerifyJob request of a drill: the newest good backup of its profile, verified on its target (the profile's
    // server, another profile's or a sandbox cluster); S3 secrets for every storage a copy may be read from.
    Error buildVerifyRequest(const Claim &claim, VerifyJob::Request &req, const Secrets &secrets) const;
    Run finish(const Claim &claim, const JobResult &result, const QDateTime &now);
    void release(const Claim &claim);

    // Applies retention to one source — the records of that kind and name (a database profile and a file source
    // of the same name are separate) — with the overrides of that source's schedules: decides, marks EXPIRED,
    // deletes the copies (BackupDeleter). Base backups (kind "base") are counted by retentionPolicy(), then the WAL
    // no remaining base backup needs goes (WalPruner::prune, as `lifeboatctl prune` does).
    PruneResult prune(const QString &kind, const QString &source, const QDateTime &now,
                      const SecretLookup &storageSecret);

    // The rules for one source's records. A profile's base backups ("base") are counted by the rules of its
    // database backups (settings, its database schedules' overrides), with its base backup schedules' own --keep-*
    // overrides on top: a base schedule's flags apply to base backups, and without them both series keep alike.
    static Error retentionPolicy(const ConfigStore &config, const QList<ScheduleRecord> &schedules, const QString &kind,
                                 const QString &source, RetentionPolicy *policy);

    static Notification notification(const QString &profile, const QString &schedule, qint64 recordId,
                                     const Error &error, const QJsonObject &details);
    // verify.passed (sent to channels "--on always") or verify.failed, with the next step in one line.
    static Notification drillNotification(const ScheduleRecord &schedule, const JobResult &result,
                                          const QString &report);
    // Where drill reports are kept: HOME/reports (HOME is the directory of config.json).
    static QString reportDirectory(const ConfigStore &config);
    // The options of a scheduled backup of `claim` (type, label).
    static BackupOptions optionsFor(const Claim &claim);
    // "profile" (database, base backup), "file source", "Redis source", "drill of profile": for messages.
    static QString kindLabel(const QString &kind);

    static QTimeZone timeZone(const QString &name); // empty: the system zone; invalid when unknown
    // Settings stallMinutes (default 10; fractions allowed, e.g. for tests) and stallCancel ("true" cancels).
    static qint64 stallLimitMs(const ConfigStore &config);
    static bool stallCancel(const ConfigStore &config);

private:
    // Writes the drill's JSON and HTML report (QSaveFile: whole or nothing); returns the HTML path.
    static QString keepReport(const ConfigStore &config, const ScheduleRecord &schedule, const JobResult &result,
                              QString *warning);

    std::shared_ptr<Catalog> m_catalog;
    ConfigStore m_config;
    QString m_owner;
};

} // namespace lifeboat
