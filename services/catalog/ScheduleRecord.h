#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace lifeboat {

// A stored schedule: which source to back up, when (5-field cron in `timeZone`, empty = the system zone) and
// where. `lastCheck` is ScheduleDue's `since`: every fire time up to it has been dealt with. Retention overrides
// of -1 mean "the policy from settings and environment".
struct ScheduleRecord {
    qint64 id = 0;
    QString name;
    QString sourceKind = QStringLiteral("database"); // database | files | redis | verify (a recovery drill) | base
    QString profile;
    QString cron;
    QString timeZone;
    QStringList storages; // empty: the profile's default storages
    bool enabled = true;
    QString missedPolicy = QStringLiteral("catch-up"); // catch-up | skip
    int keepDaily = -1;
    int keepWeekly = -1;
    int keepMonthly = -1;
    int keepHourly = -1;
    int keepYearly = -1;
    int keepLast = -1;
    qint64 keepWithinSeconds = -1; // keep-within as seconds; -1: the policy from settings and environment
    // A drill (kind "verify") verifies the newest good backup of `profile` on: empty = that profile's own server,
    // kVerifySandbox = a throwaway local cluster, else the server of the profile named here.
    QString verifyTarget;
    static constexpr const char *kVerifySandbox = "@sandbox";
    // A database schedule's `--compress` (BackupOptions::compression); empty: the default, zstd by Lifeboat.
    QString compression;
    bool isDrill() const { return sourceKind == QLatin1String("verify"); }
    QDateTime created;
    QDateTime lastCheck;
    QDateTime lastRun;
    qint64 lastBackupId = 0;
    QString lastStatus;
    // Lock columns (SQLite catalog; the PostgreSQL catalog uses advisory locks instead).
    QString lockOwner;
    QDateTime lockExpires;
};

// A notification channel. `profiles` empty = every source; `on` is "failure" (failures and stalls only) or
// "always". Secrets (SMTP password) live in the credential store under "smtp/NAME", never here.
struct NotifierRecord {
    QString name;
    QString kind; // webhook | smtp
    QString url;  // https://hooks… | smtp://host:587 | smtps://host:465
    QString tls;  // smtp: starttls | implicit | none
    QString mailFrom;
    QStringList mailTo;
    QString user;
    QString caFile; // extra CA bundle (PEM) for the relay's certificate
    QString on = QStringLiteral("failure");
    QStringList profiles;
};

} // namespace lifeboat
