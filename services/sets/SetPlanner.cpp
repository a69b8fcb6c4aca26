#include "sets/SetPlanner.h"

#include "crypto/AgeRecipient.h"
#include "files/FilesBackupJob.h"
#include "files/FilesRestoreJob.h"
#include "jobs/BackupJob.h"
#include "jobs/StoreFactory.h"
#include "mirror/MirrorJob.h"
#include "mirror/MirrorRestoreJob.h"
#include "redis/RedisBackupJob.h"

#include <QDir>
#include <QFileInfo>

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
bool parseRecipients(const QStringList &texts, const QString &owner, std::vector<AgeRecipient> *out, Error *error) {
    for (const QString &r : texts) {
        QString why;
        const auto rec = AgeRecipient::parse(r, &why);
        if (!rec) {
            *error = usage(QStringLiteral("%1 recipient: %2").arg(owner, why));
            return false;
        }
        out->push_back(*rec);
    }
    return true;
}

bool resolveStorages(const ConfigStore &config, const QStringList &names, const QString &owner,
                     QList<StorageConfig> *out, Error *error) {
    if (names.isEmpty()) {
        *error =
            usage(QStringLiteral("%1 has no storage to write to — give the set storages (`set add … --storage NAME`)")
                      .arg(owner));
        return false;
    }
    for (const QString &name : names) {
        const auto sc = config.storage(name);
        if (!sc) {
            *error = usage(QStringLiteral("%1 names the storage \"%2\", which does not exist").arg(owner, name));
            return false;
        }
        out->append(*sc);
    }
    return true;
}

// Stores are made when the member starts (an S3 session per run); one that cannot be made is left out and the
// member's own check ("no storage to write to") reports it.
std::vector<std::unique_ptr<BackupStore>> openStores(const QList<StorageConfig> &storages,
                                                     const QHash<QString, QString> &secrets) {
    std::vector<std::unique_ptr<BackupStore>> stores;
    for (const StorageConfig &sc : storages) {
        Error e;
        if (auto store = StoreFactory::create(sc, secrets.value(sc.name), &e))
            stores.push_back(std::move(store));
    }
    return stores;
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
    for (const QString &name : set.files) {
        const auto f = config.fileSource(name);
        if (!f) {
            *error = usage(QStringLiteral("set \"%1\" names the file source \"%2\", which does not exist "
                                          "(`lifeboatctl files add`)")
                               .arg(set.name, name));
            return std::nullopt;
        }
        QList<StorageConfig> fileStorages;
        std::vector<AgeRecipient> fileRecipients;
        const QString owner = QStringLiteral("file source \"%1\"").arg(name);
        if (!resolveStorages(config, f->storages.isEmpty() ? storageNames : f->storages, owner, &fileStorages, error) ||
            !parseRecipients(f->recipients, owner, &fileRecipients, error))
            return std::nullopt;
        const FileSourceConfig src = *f;
        const QString setName = set.name;
        req.members.push_back({QStringLiteral("files"), name, [=]() -> std::unique_ptr<Job> {
                                   FilesBackupJob::Request fr;
                                   fr.sourceName = src.name;
                                   fr.path = src.path;
                                   fr.options.setId = setId;
                                   fr.options.type = type;
                                   fr.options.label = QStringLiteral("set %1").arg(setName);
                                   fr.options.excludes = src.excludes;
                                   fr.options.compression = src.compression;
                                   fr.stores = openStores(fileStorages, storageSecrets);
                                   fr.catalog = catalog;
                                   fr.encryptTo = fileRecipients;
                                   return std::make_unique<FilesBackupJob>(std::move(fr));
                               }});
    }

    for (const QString &name : set.redis) {
        const auto r = config.redisSource(name);
        if (!r) {
            *error = usage(QStringLiteral("set \"%1\" names the Redis source \"%2\", which does not exist "
                                          "(`lifeboatctl redis add`)")
                               .arg(set.name, name));
            return std::nullopt;
        }
        QString why;
        RedisUrl url = RedisUrl::parse(r->url, &why);
        if (!url.isValid()) {
            *error = usage(QStringLiteral("Redis source \"%1\": %2").arg(name, why));
            return std::nullopt;
        }
        if (url.password().isEmpty())
            url.setPassword(secrets.redis.value(name));
        QList<StorageConfig> redisStorages;
        std::vector<AgeRecipient> redisRecipients;
        const QString owner = QStringLiteral("Redis source \"%1\"").arg(name);
        if (!resolveStorages(config, r->storages.isEmpty() ? storageNames : r->storages, owner, &redisStorages,
                             error) ||
            !parseRecipients(r->recipients, owner, &redisRecipients, error))
            return std::nullopt;
        const RedisSourceConfig src = *r;
        const QString setName = set.name;
        req.members.push_back({QStringLiteral("redis"), name, [=]() -> std::unique_ptr<Job> {
                                   RedisBackupJob::Request rr;
                                   rr.sourceName = src.name;
                                   rr.url = url;
                                   rr.options.setId = setId;
                                   rr.options.type = type;
                                   rr.options.label = QStringLiteral("set %1").arg(setName);
                                   rr.options.compression = src.compression;
                                   rr.options.caFile = src.caFile;
                                   rr.options.localRdbPath = src.rdbPath;
                                   rr.stores = openStores(redisStorages, storageSecrets);
                                   rr.catalog = catalog;
                                   rr.encryptTo = redisRecipients;
                                   return std::make_unique<RedisBackupJob>(std::move(rr));
                               }});
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
            base.productionServers = targets.productionServers;
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
        } else if (r.kind == QLatin1String("files")) {
            const auto src = config.fileSource(r.profile);
            QString dir = targets.filesTo.value(r.profile, src ? src->path : QString());
            if (dir.isEmpty()) {
                *error = usage(QStringLiteral("file source \"%1\": no directory to restore into — pass --files-to "
                                              "%1=DIR")
                                   .arg(r.profile));
                return std::nullopt;
            }
            dir = QFileInfo(dir).absoluteFilePath();
            FilesRestoreJob::Request fr;
            fr.source = QString::number(r.id);
            fr.catalog = catalog;
            fr.storages = config.storages();
            const QHash<QString, QString> storageSecrets = secrets.storages;
            fr.secretFor = [storageSecrets](const QString &storage) { return storageSecrets.value(storage); };
            fr.identities = targets.identities;
            fr.targetDir = dir;
            fr.overwrite = targets.overwrite;
            const bool overwrite = targets.overwrite;
            // FilesRestoreJob refuses a non-empty directory itself; checking first keeps the set all-or-nothing.
            m.check = [dir, overwrite](QJsonObject *details) -> Error {
                details->insert(QStringLiteral("directory"), dir);
                const QDir d(dir);
                if (!overwrite && d.exists() &&
                    !d.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System))
                    return {ExitCode::Refused, QStringLiteral("%1 is not empty — restore into an empty directory "
                                                              "(--files-to SOURCE=DIR) or pass --overwrite")
                                                   .arg(dir)};
                return {};
            };
            m.makeJob = [fr]() -> std::unique_ptr<Job> { return std::make_unique<FilesRestoreJob>(fr); };
        } else if (r.kind == QLatin1String("redis")) {
            const QString where = r.locations.isEmpty() ? QStringLiteral("(no stored copy)")
                                                        : QStringLiteral("%1:%2").arg(r.locations.first().storage,
                                                                                      r.locations.first().path);
            m.guidance = QStringLiteral("Redis %1: not restored automatically (the server must be stopped). Its RDB "
                                        "snapshot is record #%2, stored at %3. Fetch it with `lifeboatctl download %2 "
                                        "--to DIR`, decompress it (%4), stop Redis with SHUTDOWN NOSAVE, put it in "
                                        "place as dump.rdb (CONFIG GET dir / dbfilename) and start Redis — see the "
                                        "runbook, \"Redis failure\".")
                             .arg(r.profile)
                             .arg(r.id)
                             .arg(where, r.compression.isEmpty() ? QStringLiteral("if compressed") : r.compression);
            m.check = [r](QJsonObject *details) -> Error {
                details->insert(QStringLiteral("location"),
                                r.locations.isEmpty() ? QString() : r.locations.first().path);
                if (r.locations.isEmpty())
                    return {ExitCode::Integrity, QStringLiteral("Redis record #%1 has no stored copy").arg(r.id)};
                return {};
            };
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
