#pragma once

#include "catalog/ConfigStore.h"
#include "core/ExitCode.h"
#include "crypto/AgeRecipient.h"
#include "jobs/BackupStore.h"
#include "jobs/JobProgress.h"
#include "ops/UseCaseContext.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace lifeboat {

class Job;

// The steps every backup use case (DatabaseBackup, BaseBackup, FilesBackup, RedisBackup) takes the same way:
// recipients, stores, the stall watch, the outcome notification. A request started by hand words its errors for
// the person who typed it (the flag to pass, the command to look things up); a scheduled one (`schedule` set)
// names the schedule, as run-due and the tray runner always have.
class BackupSteps {
public:
    // The credential store key a request's encryption passphrase is read under (lifeboatctl: --passphrase-stdin).
    static QString passphraseKey() { return QStringLiteral("backup/passphrase"); }
    // Parses `texts` (the request's or the source's age recipients) and, when `passphrase` is set, reads the age
    // passphrase from ctx.secrets (passphraseKey()) instead - age allows one only on its own. `owner`
    // ("profile \"shop\"") and `ownerNoun` ("profile's", "source's") word the errors.
    static Error recipients(const UseCaseContext &ctx, const QStringList &texts, bool passphrase,
                            const QString &schedule, const QString &owner, const QString &ownerNoun,
                            std::vector<AgeRecipient> *out);
    // Every named storage as a store; one that cannot be opened (no credentials...) becomes an UnopenableStore,
    // so the job fails at its start and records the attempt FAILED with the reason. `noStorage` is the error for
    // an empty list. S3 secret keys come from ctx.secrets.
    static Error stores(const UseCaseContext &ctx, const QStringList &names, const QString &schedule,
                        const QString &noStorage, std::vector<std::unique_ptr<BackupStore>> *out);
    // The credential store keys stores() reads for `names`: the S3 storages that name an access key id.
    static QStringList storageKeys(const ConfigStore &config, const QStringList &names);
    // A database profile's backup (DatabaseBackup, BaseBackup): the profile by name, or the error for one that is
    // not configured (worded for the command line, or naming the schedule); its storages (the request's, else the
    // profile's defaults); and the keys such a backup reads - the profile's password and its storages' S3 secrets.
    static std::optional<Profile> profile(const ConfigStore &config, const QString &name, const QString &schedule,
                                          Error *error);
    static QStringList profileStorages(const Profile &profile, const QStringList &requested) {
        return requested.isEmpty() ? profile.defaultStorages : requested;
    }
    static QStringList profileKeys(const ConfigStore &config, const QString &name, const QStringList &requested);
    // The job's stall watch (when ctx.watchStalls) and what finished() does: the outcome notification
    // (DueRunner::notification: backup.completed / backup.failed, naming `schedule` when set) through ctx.notify,
    // then `then` (e.g. --keep-days). `source` is the profile or source name, `what` the stall's subject.
    static std::function<void(const JobResult &)> watch(const UseCaseContext &ctx, Job *job, const QString &source,
                                                        const QString &schedule, const QString &what,
                                                        std::function<void(const JobResult &)> then = {});
    // The stall's subject: "scheduled backup NAME of SOURCE" for a schedule, else `manual` ("backup of shop").
    static QString what(const QString &schedule, const QString &source, const QString &manual);
};

} // namespace lifeboat
