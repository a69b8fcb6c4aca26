#include "models/BackupActions.h"

#include "catalog/LeaseGuard.h"
#include "core/CredentialStore.h"
#include "jobs/ArtifactReader.h"
#include "jobs/BackupDeleter.h"
#include "secrets/KeychainCredentialStore.h"

#include <QCoreApplication>
#include <QFile>

namespace lifeboat {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("lifeboat::BackupActions", text);
}
// S3 secret keys kept in the keychain, read lazily (only for S3 copies) on the worker running the action.
std::function<QString(const QString &)> secretLookup(bool keychain) {
    return [keychain](const QString &storage) {
        if (!keychain)
            return QString();
        KeychainCredentialStore store;
        return store.read(CredentialStore::storageSecretKey(storage)).value_or(QString());
    };
}
} // namespace

bool BackupActions::isYoungerThanGuard(const BackupRecord &record, const QDateTime &now) {
    return record.started.isValid() && record.started.secsTo(now) < kDeleteGuardSecs;
}

BackupActions::Outcome BackupActions::download(const std::shared_ptr<Catalog> &catalog, const BackupRecord &record,
                                               const QList<StorageConfig> &storages, const QString &dir,
                                               bool keychain) {
    Outcome o;
    if (record.status != BackupRecord::statusCompleted()) {
        o.error = {ExitCode::Usage,
                   tr("backup #%1 is %2; only completed backups can be downloaded").arg(record.id).arg(record.status)};
        return o;
    }
    LeaseGuard lease; // the backup is not deleted (delete, prune, another machine's too) while it is downloaded
    if (const Error e = LeaseGuard::acquire(catalog.get(), record.id, QStringLiteral("download"), &lease)) {
        o.error = e;
        return o;
    }
    ArtifactReader reader(storages);
    reader.setSecretLookup(secretLookup(keychain));
    reader.setOnProgress([&lease] { lease.renewIfDue(); });
    ArtifactReader::CopyUsed used;
    if (!reader.downloadTo(record, dir, &o.path, false, &used))
        o.error = reader.error();
    else
        o.beside = reader.downloadCompanions(record, used, o.path, &o.gaps);
    return o;
}

BackupActions::Outcome BackupActions::remove(const std::shared_ptr<Catalog> &catalog,
                                             const QList<StorageConfig> &storages, qint64 id, bool force,
                                             bool keychain) {
    Outcome o;
    auto record = catalog->get(id);
    if (!record) {
        o.error = {ExitCode::Usage, tr("no backup with id %1").arg(id)};
        return o;
    }
    if (record->status == BackupRecord::statusInProgress()) {
        o.error = {ExitCode::Refused, tr("backup #%1 is still in progress; cancel it first").arg(id)};
        return o;
    }
    if (record->status == BackupRecord::statusDeleted()) {
        o.error = {ExitCode::Usage, tr("backup #%1 is already deleted").arg(id)};
        return o;
    }
    if (isYoungerThanGuard(*record) && !force) {
        o.error = {ExitCode::Refused, tr("backup #%1 is younger than 24 hours; confirm to delete it anyway").arg(id)};
        return o;
    }
    BackupDeleter deleter(storages, secretLookup(keychain));
    const BackupDeleter::Outcome out = deleter.deleteBackup(*catalog, *record);
    o.error = out.error;
    o.missing = out.missing;
    return o;
}

BackupActions::Outcome BackupActions::readManifest(const BackupRecord &record) {
    Outcome o;
    for (const BackupLocation &loc : record.locations) {
        if (loc.kind != QLatin1String("local") || loc.manifestPath.isEmpty())
            continue;
        QFile f(loc.manifestPath);
        if (f.open(QIODevice::ReadOnly)) {
            o.bytes = f.readAll();
            o.path = loc.manifestPath;
            return o;
        }
        o.error = {ExitCode::Transfer, tr("cannot read %1: %2").arg(loc.manifestPath, f.errorString())};
    }
    if (!o.error)
        o.error = {ExitCode::Usage, tr("backup #%1 has no local copy with a manifest").arg(record.id)};
    return o;
}

} // namespace lifeboat
