#include "models/BucketOperations.h"

#include "core/CredentialStore.h"
#include "jobs/BackupDeleter.h"
#include "jobs/BucketArtifacts.h"
#include "jobs/StoreFactory.h"
#include "secrets/KeychainCredentialStore.h"
#include "storage/S3Session.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace lifeboat {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("lifeboat::BucketOperations", text);
}

std::function<QString(const QString &)> secretLookup(bool keychain) {
    return [keychain](const QString &storage) {
        if (!keychain)
            return QString();
        KeychainCredentialStore store;
        return store.read(CredentialStore::storageSecretKey(storage)).value_or(QString());
    };
}

QString fileNameOf(const QString &key) {
    return key.section(QLatin1Char('/'), -1);
}
} // namespace

BucketOperations::Resolved BucketOperations::resolve(const StorageConfig &storage, bool keychain) {
    Resolved r;
    const QString secret = storage.accessKeyId.isEmpty() ? QString() : secretLookup(keychain)(storage.name);
    r.config = StoreFactory::s3Config(storage, secret, &r.error);
    return r;
}

Error BucketOperations::testStorage(const StorageConfig &storage, const QString &secret, const QString &keychainName,
                                    bool keychain, QString *summary) {
    if (storage.isLocal()) {
        // The folder is created by the first backup: its nearest existing ancestor must take new entries.
        QFileInfo dir(storage.localDir);
        while (!dir.exists() && dir.absolutePath() != dir.absoluteFilePath())
            dir = QFileInfo(dir.absolutePath());
        if (!dir.isDir())
            return {ExitCode::Usage, tr("%1 is not a folder").arg(dir.absoluteFilePath())};
        if (!dir.isWritable())
            return {ExitCode::Usage, tr("%1 is not writable by this user").arg(dir.absoluteFilePath())};
        *summary = dir.absoluteFilePath() == QFileInfo(storage.localDir).absoluteFilePath()
                       ? tr("The folder exists and is writable.")
                       : tr("The folder does not exist yet; %1 is writable, so the first backup creates it.")
                             .arg(dir.absoluteFilePath());
        return {};
    }
    QString key = secret;
    if (key.isEmpty() && !storage.accessKeyId.isEmpty() && !keychainName.isEmpty())
        key = secretLookup(keychain)(keychainName);
    Error e;
    const auto config = StoreFactory::s3Config(storage, key, &e);
    if (!config)
        return e;
    S3Session session(*config);
    S3ListResult page;
    if (Error listed = session.listObjects(config->keyFor(QString()), QStringLiteral("/"), {}, 1, &page))
        return listed;
    *summary = tr("Bucket %1 answered: listing with these credentials works.").arg(storage.bucket);
    return {};
}

QHash<QString, qint64> BucketOperations::catalogIndex(Catalog &catalog, const QString &storageName) {
    QHash<QString, qint64> index;
    const auto entries = BucketArtifacts::catalogued(catalog, storageName);
    for (auto it = entries.begin(); it != entries.end(); ++it)
        index.insert(it.key(), it.value().id);
    return index;
}

BucketOperations::Removed BucketOperations::remove(const S3Config &config, const QString &storageName,
                                                   const QList<StorageConfig> &storages, const QStringList &plainKeys,
                                                   const QList<qint64> &recordIds,
                                                   const std::shared_ptr<Catalog> &catalog, bool keychain) {
    Removed r;
    if (!plainKeys.isEmpty()) {
        S3Session session(config);
        for (const QString &key : plainKeys) {
            QStringList removed;
            if (Error e = BucketArtifacts::removeObject(session, key, &removed))
                r.problems << QStringLiteral("%1: %2").arg(key, e.message);
            r.keys << removed;
        }
    }
    const QString ours = storageName + QLatin1Char(':');
    BackupDeleter deleter(storages, secretLookup(keychain));
    for (qint64 id : recordIds) {
        auto record = catalog->get(id);
        if (!record) {
            r.problems << tr("backup #%1 is no longer in the catalog").arg(id);
            continue;
        }
        if (record->status == BackupRecord::statusInProgress()) {
            r.problems << tr("backup #%1 is still in progress; cancel it on the Jobs page first").arg(id);
            continue;
        }
        const BackupDeleter::Outcome o = deleter.deleteBackup(*catalog, *record);
        r.catalogChanged = true;
        for (const QString &s : o.removed + o.missing)
            if (s.startsWith(ours))
                r.keys << s.mid(ours.size());
        r.missing << o.missing;
        for (const QString &p : o.problems)
            r.problems << tr("backup #%1: %2").arg(id).arg(p);
    }
    return r;
}

BucketOperations::Imported BucketOperations::import(const S3Config &config, const QString &storageName,
                                                    const QStringList &keys, const std::shared_ptr<Catalog> &catalog) {
    Imported r;
    S3Session session(config);
    for (const QString &key : keys) {
        const BucketArtifacts::Imported im = BucketArtifacts::import(session, *catalog, storageName, key);
        if (im.error)
            r.problems << QStringLiteral("%1: %2").arg(fileNameOf(key), im.error.message);
        else
            r.ids << im.id;
    }
    return r;
}

} // namespace lifeboat
