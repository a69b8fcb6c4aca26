#pragma once

#include "jobs/BackupOptions.h"
#include "ops/UseCaseContext.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace lifeboat {

// A pg_dump backup of one profile, from the request as the user gave it to a BackupJob ready to run: `lifeboatctl
// backup`, the desktop app's Back up now and scheduled runs (run-due, the tray runner) all start it here. Resolves
// the profile, its storages (the request's or the profile's defaults), the recipients, the password and S3 secret
// keys (from ctx.secrets, nowhere else), watches the job for stalls, and finished() sends the outcome notification
// and records --keep-days.
class DatabaseBackup {
public:
    struct Request {
        QString profile;
        QStringList storages; // empty: the profile's defaults
        BackupOptions options;
        std::optional<QStringList> recipients; // age recipients as text; unset: the profile's
        bool passphrase = false; // encrypt with an age passphrase (from ctx.secrets) instead of recipients
        int keepDays = 0;        // manual backups: retention deletes it this many days after it started
        QString schedule;        // a scheduled run: errors and the notification name the schedule
    };

    // The credential store keys prepare() reads for `request` (the profile's password, S3 secret keys): a front
    // end that must read them elsewhere first (the desktop app, on a worker) reads these into a
    // MemoryCredentialStore.
    static QStringList secretKeys(const ConfigStore &config, const Request &request);
    // The job, or the error and no job: nothing is started or recorded then. Creates a QObject: call it on the
    // thread that will own the job; it reads secrets (which may block on a keychain or ask on a terminal).
    static PreparedJob prepare(const UseCaseContext &ctx, const Request &request);
};

} // namespace lifeboat
