#include "ops/BackupSteps.h"

#include "jobs/Job.h"
#include "jobs/StallWatch.h"
#include "jobs/UnopenableStore.h"
#include "ops/Notify.h"
#include "schedule/DueRunner.h"

namespace lifeboat {

Error BackupSteps::recipients(const UseCaseContext &ctx, const QStringList &texts, bool passphrase,
                              const QString &schedule, const QString &owner, const QString &ownerNoun,
                              std::vector<AgeRecipient> *out) {
    if (passphrase && !texts.isEmpty())
        return {ExitCode::Usage, QStringLiteral("age allows a passphrase only on its own: drop --recipient (or the "
                                                "%1 recipients) or --passphrase-stdin")
                                     .arg(ownerNoun)};
    for (const QString &text : texts) {
        QString why;
        const auto rec = AgeRecipient::parse(text, &why);
        if (!rec)
            return {ExitCode::Usage, schedule.isEmpty() ? QStringLiteral("--recipient: %1").arg(why)
                                                        : QStringLiteral("%1 recipient: %2").arg(owner, why)};
        out->push_back(*rec);
    }
    if (passphrase) {
        const QString pass = ctx.secret(passphraseKey());
        if (pass.isEmpty())
            return {ExitCode::Usage, QStringLiteral("--passphrase-stdin: no passphrase on stdin")};
        out->push_back(AgeRecipient::passphrase(pass.toUtf8()));
    }
    return {};
}

Error BackupSteps::stores(const UseCaseContext &ctx, const QStringList &names, const QString &schedule,
                          const QString &noStorage, std::vector<std::unique_ptr<BackupStore>> *out) {
    if (names.isEmpty())
        return {ExitCode::Usage, noStorage};
    for (const QString &name : names) {
        const auto sc = ctx.config.storage(name);
        if (!sc)
            return {ExitCode::Usage,
                    schedule.isEmpty()
                        ? QStringLiteral("unknown storage \"%1\" (see `lifeboatctl storage list`)").arg(name)
                        : QStringLiteral("schedule \"%1\": unknown storage \"%2\"").arg(schedule, name)};
        // Only an S3 storage that names an access key keeps a secret: asking for any other could prompt for
        // nothing on a terminal.
        const QString secret =
            sc->isS3() && !sc->accessKeyId.isEmpty() ? ctx.secret(CredentialStore::storageSecretKey(name)) : QString();
        out->push_back(UnopenableStore::create(*sc, secret));
    }
    return {};
}

QStringList BackupSteps::storageKeys(const ConfigStore &config, const QStringList &names) {
    QStringList keys;
    for (const QString &name : names)
        if (const auto sc = config.storage(name); sc && sc->isS3() && !sc->accessKeyId.isEmpty())
            keys << CredentialStore::storageSecretKey(name);
    return keys;
}

QString BackupSteps::what(const QString &schedule, const QString &source, const QString &manual) {
    return schedule.isEmpty() ? manual : QStringLiteral("scheduled backup %1 of %2").arg(schedule, source);
}

std::function<void(const JobResult &)> BackupSteps::watch(const UseCaseContext &ctx, Job *job, const QString &source,
                                                          const QString &schedule, const QString &what,
                                                          std::function<void(const JobResult &)> then) {
    std::shared_ptr<StallWatch> watch = Notify::watchStalls(ctx, job, source, what);
    // The watch lives as long as this function: the front end keeps it until the job is done.
    return [watch, notify = ctx.notify, source, schedule, then = std::move(then)](const JobResult &r) {
        if (notify)
            notify(DueRunner::notification(source, schedule, r.recordId, r.error, r.details));
        if (then)
            then(r);
    };
}

std::optional<Profile> BackupSteps::profile(const ConfigStore &config, const QString &name, const QString &schedule,
                                            Error *error) {
    auto profile = config.profile(name);
    if (!profile)
        *error = {ExitCode::Usage,
                  schedule.isEmpty()
                      ? QStringLiteral("unknown profile \"%1\" (see `lifeboatctl profile list`)").arg(name)
                      : QStringLiteral("schedule \"%1\": profile \"%2\" no longer exists").arg(schedule, name)};
    return profile;
}

QStringList BackupSteps::profileKeys(const ConfigStore &config, const QString &name, const QStringList &requested) {
    const auto profile = config.profile(name);
    if (!profile)
        return {};
    return QStringList{CredentialStore::profilePasswordKey(profile->name)} +
           storageKeys(config, profileStorages(*profile, requested));
}

} // namespace lifeboat
