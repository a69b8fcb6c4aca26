#include "ui/SourceJobBuilder.h"

#include "core/CredentialStore.h"
#include "jobs/Job.h"
#include "models/Async.h"
#include "ops/ScheduledBackup.h"
#include "ops/Verify.h"
#include "schedule/DrillIdentities.h"
#include "secrets/KeychainCredentialStore.h"
#include "secrets/MemoryCredentialStore.h"
#include "ui/AppContext.h"

#include <QHash>

namespace lifeboat {

namespace {
struct Secrets {
    MemoryCredentialStore backup; // a backup's: the keys ScheduledBackup::secretKeys names
    // A drill's: the S3 storages a copy may be read from, its target's password.
    QHash<QString, QString> storages;
    QString profile;
    // A drill of an encrypted backup: the keys this installation keeps for it (DrillIdentities), as run-due uses.
    qint64 drillRecordId = 0;
    std::vector<AgeIdentity> identities;
    QString identityProblem;
};
} // namespace

void SourceJobBuilder::build(AppContext *ctx, QObject *context, const DueRunner::Claim &claim, const QString &owner,
                             Done done) {
    const ScheduleRecord &s = claim.schedule;
    QList<StorageConfig> storages;
    const DueRunner planner(ctx->jobCatalog(), ctx->config(), owner);
    // A drill reads the copies of a backup from wherever they are: every S3 storage may be needed.
    if (s.isDrill())
        for (const StorageConfig &sc : ctx->config().storages())
            if (sc.isS3() && !sc.accessKeyId.isEmpty())
                storages << sc;
    const bool keychain = ctx->keychainKnown() && ctx->keychain().available();
    // The profile whose password a drill needs: its target's (none for a sandbox).
    const QString passwordProfile = !s.isDrill() || s.verifyTarget == QLatin1String(ScheduleRecord::kVerifySandbox)
                                        ? QString()
                                    : s.verifyTarget.isEmpty() ? s.profile
                                                               : s.verifyTarget;
    runAsync(
        context,
        [keychain, storages, keys = ScheduledBackup::secretKeys(ctx->config(), planner, claim), source = s.profile,
         passwordProfile, drill = s.isDrill(), catalog = ctx->catalog(), config = ctx->config()] {
            Secrets out;
            std::unique_ptr<KeychainCredentialStore> store;
            if (keychain) {
                store = std::make_unique<KeychainCredentialStore>();
                out.backup = MemoryCredentialStore::readFrom(store.get(), keys);
                for (const StorageConfig &sc : storages)
                    out.storages.insert(sc.name,
                                        store->read(CredentialStore::storageSecretKey(sc.name)).value_or(QString()));
                if (!passwordProfile.isEmpty())
                    out.profile = store->read(CredentialStore::profilePasswordKey(passwordProfile)).value_or(QString());
            }
            // Identity files need no keychain; keys kept in it only when it answers.
            if (drill) {
                if (const auto record = DueRunner::drillBackup(*catalog, source); record && record->encrypted) {
                    out.drillRecordId = record->id;
                    out.identities = DrillIdentities::forRecord(config, store.get(), *record, &out.identityProblem);
                }
            }
            return out;
        },
        [ctx, claim, owner, done = std::move(done)](const Secrets &secrets) {
            // Built on the GUI thread (the job is a QObject owned here); its catalog calls go to the catalog thread.
            DueRunner builder(ctx->jobCatalog(), ctx->config(), owner);
            DueRunner::Secrets lookups;
            lookups.storageSecret = [&](const QString &name) { return secrets.storages.value(name); };
            lookups.profilePassword = [&](const QString &) { return secrets.profile; };
            if (claim.schedule.isDrill()) {
                // The identities are for the backup read on the worker; a newer one since then gets none and says so.
                PreparedJob drill = Verify::drill(builder, claim, lookups, [&](qint64 recordId, QString *missing) {
                    if (recordId != secrets.drillRecordId)
                        return std::vector<AgeIdentity>();
                    if (secrets.identities.empty())
                        *missing = secrets.identityProblem;
                    return secrets.identities;
                });
                if (!drill)
                    return done(nullptr, drill.error.message);
                return done(std::move(drill.job), QString());
            }
            UseCaseContext uc;
            uc.catalog = ctx->jobCatalog();
            uc.config = ctx->config();
            MemoryCredentialStore store = secrets.backup;
            uc.secrets = &store;
            // JobListModel watches the job for stalls and the tray runner tells its outcome.
            uc.watchStalls = false;
            PreparedJob backup = ScheduledBackup::prepare(uc, builder, claim);
            const QString error = backup ? QString() : backup.error.message;
            done(std::move(backup.job), error);
        });
}

} // namespace lifeboat
