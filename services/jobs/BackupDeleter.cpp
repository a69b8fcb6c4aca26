#include "jobs/BackupDeleter.h"

#include "catalog/LeaseGuard.h"

#include "jobs/StoreFactory.h"
#include "storage/S3Session.h"
#include "storage/S3Types.h"

#include <QFile>
#include <QFileInfo>

namespace lifeboat {

BackupDeleter::BackupDeleter(QList<StorageConfig> storages, SecretLookup secretFor)
    : m_storages(std::move(storages))
    , m_secretFor(std::move(secretFor)) {}

BackupDeleter::Outcome BackupDeleter::removeCopies(const BackupRecord &record) {
    Outcome o;
    for (const BackupLocation &loc : record.locations) {
        const StorageConfig *sc = nullptr;
        for (const StorageConfig &s : m_storages)
            if (s.name == loc.storage)
                sc = &s;
        // A catalog row is data (a shared catalog is written by other machines): it may only name copies inside the
        // storage it claims, of the kind that storage is.
        if (!sc || sc->kind != loc.kind) {
            o.problems << QStringLiteral("%1: %2").arg(loc.storage,
                                                       sc ? QStringLiteral("the record names a %1 copy but "
                                                                           "the storage is %2")
                                                                .arg(loc.kind, sc->kind)
                                                          : QStringLiteral("storage not configured here"));
            continue;
        }
        // The server's roles beside the copy (profile --globals) go with it.
        const QString companion = record.globals.present() ? record.globals.siblingOf(loc.path) : QString();
        if (loc.kind == QLatin1String("s3")) {
            Error e;
            auto session = StoreFactory::s3Session(*sc, m_secretFor ? m_secretFor(loc.storage) : QString(), &e);
            if (!session) {
                o.problems << QStringLiteral("%1: %2").arg(loc.storage, e.message);
                continue;
            }
            QString prefix = session->config().keyFor(QString());
            if (!prefix.isEmpty() && !prefix.endsWith(QLatin1Char('/')))
                prefix += QLatin1Char('/');
            for (const QString &key : {loc.path, loc.manifestPath, companion}) {
                if (key.isEmpty())
                    continue;
                if (!key.startsWith(prefix)) {
                    o.problems << QStringLiteral("%1: refusing to delete %2, outside the storage's prefix")
                                      .arg(loc.storage, key);
                    continue;
                }
                // S3 deletes of absent keys succeed silently; ask first so a vanished object is reported.
                S3ObjectInfo info;
                int status = 0;
                const Error h = session->headObject(key, &info, &status);
                if (h && status == 404) {
                    o.missing << QStringLiteral("%1:%2").arg(loc.storage, key);
                    continue;
                }
                const Error d = session->deleteObject(key);
                if (d)
                    o.problems << QStringLiteral("%1: deleting %2 failed: %3").arg(loc.storage, key, d.message);
                else
                    o.removed << QStringLiteral("%1:%2").arg(loc.storage, key);
            }
            continue;
        }
        const QString root = QFileInfo(sc->localDir).canonicalFilePath();
        for (const QString &f : {loc.path, loc.manifestPath, companion}) {
            if (f.isEmpty())
                continue;
            if (!QFile::exists(f)) {
                o.missing << f; // gone either way: note it and carry on
                continue;
            }
            const QString canonical = QFileInfo(f).canonicalFilePath();
            if (root.isEmpty() || !canonical.startsWith(root + QLatin1Char('/')))
                o.problems << QStringLiteral("refusing to delete %1: it is outside storage \"%2\" (%3)")
                                  .arg(f, loc.storage, sc->localDir);
            else if (!QFile::remove(f))
                o.problems << QStringLiteral("cannot remove %1").arg(f);
            else
                o.removed << f;
        }
    }
    if (!o.problems.isEmpty())
        o.error = {ExitCode::Transfer, o.problems.join(QStringLiteral("; "))};
    return o;
}

BackupDeleter::Outcome BackupDeleter::deleteBackup(Catalog &catalog, BackupRecord &record, bool markExpiredFirst) {
    // Never while a restore, verify or download of it runs (on any machine sharing the catalog).
    LeaseGuard lease;
    if (Error e = LeaseGuard::acquire(&catalog, record.id, QStringLiteral("delete"), &lease)) {
        Outcome refused;
        refused.error = e;
        refused.problems << e.message;
        return refused;
    }
    // The caller's record may be stale: another prune may have moved or removed copies since it was read.
    if (record.id > 0) {
        if (const auto fresh = catalog.get(record.id))
            record = *fresh;
    }
    // Retention's decision was about a record another prune has deleted meanwhile: nothing left to do.
    if (markExpiredFirst && record.status == BackupRecord::statusDeleted())
        return {};
    QString err;
    if (markExpiredFirst && record.status != BackupRecord::statusExpired()) {
        record.status = BackupRecord::statusExpired();
        if (!catalog.update(record, &err)) {
            Outcome failed;
            failed.error = {ExitCode::Usage, QStringLiteral("catalog: %1").arg(err)};
            failed.problems << failed.error.message;
            return failed;
        }
    }
    Outcome o = removeCopies(record);
    if (o.error)
        return o;
    record.status = BackupRecord::statusDeleted();
    if (!catalog.update(record, &err))
        o.error = {ExitCode::Usage, err};
    return o;
}

BackupDeleter::Outcome BackupDeleter::removeStorageCopies(Catalog &catalog, BackupRecord &record,
                                                          const QStringList &storages, const QString &reason) {
    LeaseGuard lease;
    if (Error e = LeaseGuard::acquire(&catalog, record.id, QStringLiteral("delete"), &lease)) {
        Outcome refused;
        refused.error = e;
        refused.problems << e.message;
        return refused;
    }
    // Act on the record as it is now, not as the caller planned it: a move that finished meanwhile changed it.
    if (const auto fresh = catalog.get(record.id))
        record = *fresh;
    if (record.status != BackupRecord::statusCompleted())
        return {};
    return removeStorageCopiesLeased(catalog, record, storages, reason);
}

BackupDeleter::Outcome BackupDeleter::removeStorageCopiesLeased(Catalog &catalog, BackupRecord &record,
                                                                const QStringList &storages, const QString &reason) {
    Outcome all;
    // A record that stays must keep a copy: never remove the last one that is still there.
    bool liveLeft = false;
    QStringList going;
    for (const BackupLocation &loc : record.locations) {
        if (storages.contains(loc.storage))
            going << loc.storage;
        else
            liveLeft = liveLeft || loc.kind != QLatin1String("local") || QFile::exists(loc.path);
    }
    if (going.isEmpty())
        return all;
    if (!liveLeft) {
        all.error = {ExitCode::Refused,
                     QStringLiteral("backup #%1 is kept, and its copy on %2 is the last one left: not removed")
                         .arg(record.id)
                         .arg(going.join(QStringLiteral(", ")))};
        all.problems << all.error.message;
        return all;
    }
    QList<BackupLocation> kept;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // One location at a time, so a failure on one copy leaves exactly that copy recorded.
    for (const BackupLocation &loc : record.locations) {
        if (!storages.contains(loc.storage)) {
            kept << loc;
            continue;
        }
        BackupRecord one = record;
        one.locations = {loc};
        const Outcome o = removeCopies(one);
        all.removed << o.removed;
        all.missing << o.missing;
        all.problems << o.problems;
        if (o.error)
            kept << loc;
        else
            record.removedCopies << RemovedCopy{loc, now, reason};
    }
    record.locations = kept;
    if (!all.problems.isEmpty())
        all.error = {ExitCode::Transfer, all.problems.join(QStringLiteral("; "))};
    QString err;
    if (!catalog.update(record, &err)) {
        all.problems << err;
        all.error = {ExitCode::Usage, err};
    }
    return all;
}

} // namespace lifeboat
