#include "sets/SetPlanner.h"

#include "crypto/AgeRecipient.h"
#include "jobs/BackupJob.h"
#include "jobs/StoreFactory.h"
#include "mirror/MirrorJob.h"
#include "mirror/MirrorRestoreJob.h"

#include <QJsonArray>
#include <QJsonObject>

namespace lifeboat {

namespace {
Error usage(const QString &message) {
    return {ExitCode::Usage, message};
}

// A dry run reports some refusals as warnings (so it can show the whole plan): a missing or wrong --confirm,
// connections that would not be ended, a production safety backup skipped without confirmation. Before a set
// restore touches any member those must refuse, exactly as the real restore of the database would.
Error strictDryRun(const QList<SafetyCheck> &checks, const RestoreOptions &o) {
    for (const SafetyCheck &c : checks) {
        if (c.outcome != SafetyCheck::Outcome::Warning)
            continue;
        const bool refusesForReal =
            c.id == QLatin1String("confirm") || (c.id == QLatin1String("connections") && !o.terminateConnections) ||
            (c.id == QLatin1String("safety-backup") && !(o.noSafetyBackup && o.confirm == o.targetDb));
        if (refusesForReal)
            return {ExitCode::Refused, QStringLiteral("refused: %1 — %2").arg(c.title, c.detail)};
    }
    return {};
}
} // namespace

std::optional<SetBackupJob::Request> SetPlanner::backup(const ConfigStore &config, const SetConfig &set,
                                                        const QDateTime &startedUtc, const QString &type,
                                                        std::shared_ptr<Catalog> catalog, const Secrets &secrets,
                                                        Error *error) {
    SetBackupJob::Request req;
    req.setName = set.name;
    // One capture per second and set: a second capture within the same second takes the next free second.
    QDateTime stamp = startedUtc;
    while (!catalog->listBySet(SetBackupJob::makeSetId(set.name, stamp)).isEmpty())
        stamp = stamp.addSecs(1);
    req.setId = SetBackupJob::makeSetId(set.name, stamp);
    req.type = type;
    req.catalog = catalog;

    const auto profile = config.profile(set.profile);
    if (!profile) {
        *error = usage(
            QStringLiteral("set \"%1\" names the profile \"%2\", which does not exist").arg(set.name, set.profile));
        return std::nullopt;
    }
    const QStringList storageNames = set.storages.isEmpty() ? profile->defaultStorages : set.storages;
    if (storageNames.isEmpty()) {
        *error = usage(QStringLiteral("set \"%1\": profile \"%2\" has no default storage — give the set storages "
                                      "(`set add … --storage NAME`)")
                           .arg(set.name, set.profile));
        return std::nullopt;
    }
    QList<StorageConfig> storages;
    for (const QString &name : storageNames) {
        const auto sc = config.storage(name);
        if (!sc) {
            *error =
                usage(QStringLiteral("set \"%1\" names the storage \"%2\", which does not exist").arg(set.name, name));
            return std::nullopt;
        }
        storages << *sc;
    }
    std::vector<AgeRecipient> recipients;
    for (const QString &r : profile->recipients) {
        QString why;
        const auto rec = AgeRecipient::parse(r, &why);
        if (!rec) {
            *error = usage(QStringLiteral("profile \"%1\" recipient: %2").arg(profile->name, why));
            return std::nullopt;
        }
        recipients.push_back(*rec);
    }

    // Stores are made when the member starts (an S3 session per run), from configuration resolved now.
    const QHash<QString, QString> storageSecrets = secrets.storages;
    const QString setId = req.setId;
    const QString pgToolDir = config.option(QStringLiteral("pgToolDir"));
    const Profile prof = *profile;
    const QString password = secrets.databasePassword;
    req.members.push_back({QStringLiteral("database"), prof.name, [=]() -> std::unique_ptr<Job> {
                               BackupJob::Request b;
                               b.profile = prof;
                               b.password = password;
                               b.options.type = type;
                               b.options.setId = setId;
                               b.options.label = QStringLiteral("set %1").arg(set.name);
                               b.catalog = catalog;
                               b.pgToolDir = pgToolDir;
                               b.encryptTo = recipients;
                               for (const StorageConfig &sc : storages) {
                                   Error e;
                                   auto store = StoreFactory::create(sc, storageSecrets.value(sc.name), &e);
                                   if (store)
                                       b.stores.push_back(std::move(store));
                               }
                               return std::make_unique<BackupJob>(std::move(b));
                           }});

    if (!set.files.isEmpty() || !set.redis.isEmpty()) {
        *error = usage(QStringLiteral("set \"%1\" has directory or Redis members, which this build cannot back up "
                                      "as part of a set yet")
                           .arg(set.name));
        return std::nullopt;
    }

    for (const QString &name : set.mirrors) {
        const auto m = config.mirror(name);
        if (!m) {
            *error =
                usage(QStringLiteral("set \"%1\" names the mirror \"%2\", which does not exist").arg(set.name, name));
            return std::nullopt;
        }
        const auto source = config.storage(m->sourceStorage);
        const auto dest = config.storage(m->storage);
        if (!source || !dest) {
            *error = usage(QStringLiteral("mirror \"%1\" names a storage that does not exist").arg(name));
            return std::nullopt;
        }
        MirrorJob::Request mr;
        mr.mirror = *m;
        mr.source = *source;
        mr.sourceSecret = storageSecrets.value(source->name);
        mr.destination = *dest;
        mr.destinationSecret = storageSecrets.value(dest->name);
        mr.catalog = catalog;
        mr.options.setId = setId;
        mr.options.type = type;
        mr.options.label = QStringLiteral("set %1").arg(set.name);
        req.members.push_back({QStringLiteral("mirror"), name,
                               [mr]() -> std::unique_ptr<Job> { return std::make_unique<MirrorJob>(mr); }});
    }
    return req;
}

std::optional<SetRestoreJob::Request> SetPlanner::restore(const ConfigStore &config, std::shared_ptr<Catalog> catalog,
                                                          const QString &setId, const RestoreTargets &targets,
                                                          const Secrets &secrets, Error *error) {
    const QList<BackupRecord> records = catalog->listBySet(setId);
    if (records.isEmpty()) {
        *error = usage(QStringLiteral("no backup set \"%1\" in the catalog (see `lifeboatctl set list`)").arg(setId));
        return std::nullopt;
    }
    for (const BackupRecord &r : records) {
        if (r.status != BackupRecord::statusCompleted() || r.error.startsWith(SetBackupJob::incompleteMarker())) {
            *error = {ExitCode::Refused,
                      QStringLiteral("set %1 is not complete (%2 %3, record #%4: %5 %6); restore its members one by "
                                     "one if you must")
                          .arg(setId, r.kind, r.profile)
                          .arg(r.id)
                          .arg(r.status, r.error)};
            return std::nullopt;
        }
    }
    SetRestoreJob::Request req;
    req.setId = setId;
    req.dryRun = targets.database.dryRun;
    const int mirrorCount = static_cast<int>(std::count_if(
        records.cbegin(), records.cend(), [](const BackupRecord &r) { return r.kind == QLatin1String("mirror"); }));

    for (const BackupRecord &r : records) {
        SetRestoreJob::Member m;
        m.kind = r.kind;
        m.name = r.profile;
        m.recordId = r.id;
        if (r.kind == QLatin1String("database")) {
            if (targets.database.targetConninfo.isEmpty() || targets.database.targetDb.isEmpty()) {
                *error = usage(QStringLiteral("set restore needs --target PROFILE|URI and --target-db NAME for the "
                                              "database member"));
                return std::nullopt;
            }
            RestoreJob::Request base;
            base.source = QString::number(r.id);
            base.options = targets.database;
            base.password = targets.databasePassword;
            base.catalog = catalog;
            base.storages = config.storages();
            base.storageSecrets = secrets.storages;
            base.identities = targets.identities;
            base.pgToolDir = config.option(QStringLiteral("pgToolDir"));
            base.safetyBackup = targets.safetyBackup;
            m.check = [base](QJsonObject *details) -> Error {
                RestoreJob::Request dry = base;
                dry.options.dryRun = true;
                RestoreJob job(std::move(dry));
                const JobResult res = job.run();
                details->insert(QStringLiteral("checks"), res.details.value(QStringLiteral("checks")));
                if (res.error)
                    return res.error;
                return strictDryRun(job.checks(), base.options);
            };
            m.makeJob = [base]() -> std::unique_ptr<Job> { return std::make_unique<RestoreJob>(base); };
        } else if (r.kind == QLatin1String("mirror")) {
            const auto mc = config.mirror(r.profile);
            const QString targetName =
                !targets.mirrorStorage.isEmpty() ? targets.mirrorStorage : (mc ? mc->sourceStorage : QString());
            const auto target = config.storage(targetName);
            if (!target || !target->isS3()) {
                *error = usage(QStringLiteral("mirror \"%1\": no S3 storage to restore into — pass --mirror-to STORAGE")
                                   .arg(r.profile));
                return std::nullopt;
            }
            if (r.locations.isEmpty() || !config.storage(r.locations.first().storage)) {
                *error =
                    usage(QStringLiteral("mirror run #%1 is kept in a storage that is not configured here").arg(r.id));
                return std::nullopt;
            }
            MirrorRestoreJob::Request mr;
            mr.record = r;
            mr.mirrorStorage = *config.storage(r.locations.first().storage);
            mr.mirrorSecret = secrets.storages.value(mr.mirrorStorage.name);
            mr.target = *target;
            mr.targetSecret = secrets.storages.value(target->name);
            if (!targets.mirrorPrefix.isNull())
                mr.prefix =
                    mirrorCount > 1 ? targets.mirrorPrefix + QLatin1Char('/') + r.profile : targets.mirrorPrefix;
            mr.overwrite = targets.overwrite;
            m.check = [mr](QJsonObject *details) -> Error {
                MirrorRestoreJob job(mr);
                MirrorRestoreJob::Check c;
                const Error e = job.check(&c);
                details->insert(QStringLiteral("prefix"), c.targetPrefix);
                details->insert(QStringLiteral("toWrite"), static_cast<int>(c.toWrite.size()));
                details->insert(QStringLiteral("identical"), static_cast<int>(c.identical.size()));
                details->insert(QStringLiteral("conflicts"), QJsonArray::fromStringList(c.conflicts));
                return e;
            };
            m.makeJob = [mr]() -> std::unique_ptr<Job> { return std::make_unique<MirrorRestoreJob>(mr); };
        } else {
            *error =
                usage(QStringLiteral("set %1 has a %2 member (%3), which this build cannot restore as part of a set")
                          .arg(setId, r.kind, r.profile));
            return std::nullopt;
        }
        req.members.push_back(std::move(m));
    }
    return req;
}

} // namespace lifeboat
