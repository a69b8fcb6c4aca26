#include "jobs/ArchiveMover.h"

#include "catalog/LeaseGuard.h"
#include "catalog/Manifest.h"
#include "jobs/ArtifactReader.h"
#include "jobs/StoreFactory.h"
#include "pipeline/HashStage.h"
#include "pipeline/MemorySink.h"
#include "pipeline/Sha256.h"
#include "pipeline/TeeSink.h"
#include "storage/S3Session.h"

#include <QFile>

namespace lifeboat {

namespace {
QString where(const BackupLocation &l) {
    return l.kind == QLatin1String("local") ? l.path : QStringLiteral("%1:%2").arg(l.storage, l.path);
}

// A local file hashed again from disk: what a later restore will read.
Error rehashFile(const QString &path, const QString &expected) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {ExitCode::Transfer, QStringLiteral("cannot read back %1: %2").arg(path, f.errorString())};
    Sha256 h;
    QByteArray buf(1 << 20, Qt::Uninitialized);
    for (;;) {
        const qint64 n = f.read(buf.data(), buf.size());
        if (n < 0)
            return {ExitCode::Transfer, QStringLiteral("cannot read back %1: %2").arg(path, f.errorString())};
        if (n == 0)
            break;
        h.add(QByteArrayView(buf.constData(), n));
    }
    const QByteArray got = h.finalHex();
    if (QString::fromLatin1(got) != expected.toLower())
        return {ExitCode::Integrity, QStringLiteral("the copy written to %1 reads back as SHA-256 %2, not %3")
                                         .arg(path, QString::fromLatin1(got), expected)};
    return {};
}
} // namespace

ArchiveMover::ArchiveMover(QList<StorageConfig> storages, BackupDeleter::SecretLookup secretFor)
    : m_storages(std::move(storages))
    , m_secretFor(std::move(secretFor)) {}

const StorageConfig *ArchiveMover::storage(const QString &name) const {
    for (const StorageConfig &s : m_storages)
        if (s.name == name)
            return &s;
    return nullptr;
}

ArchiveMover::Outcome ArchiveMover::move(Catalog &catalog, BackupRecord &record, const QStringList &from,
                                         const QString &archive) {
    Outcome o;
    const StorageConfig *target = storage(archive);
    if (!target) {
        o.error = {
            ExitCode::Usage,
            QStringLiteral("archive storage \"%1\" is not configured (see `lifeboatctl storage list`)").arg(archive)};
        return o;
    }
    // The same lease as prune: no restore, verify or download reads the copies while they move.
    LeaseGuard lease;
    if (Error e = LeaseGuard::acquire(&catalog, record.id, QStringLiteral("delete"), &lease)) {
        o.error = e;
        return o;
    }
    if (const auto fresh = catalog.get(record.id))
        record = *fresh;
    if (record.status != BackupRecord::statusCompleted()) {
        o.error = {ExitCode::Refused,
                   QStringLiteral("backup #%1 is %2 now, not moved").arg(record.id).arg(record.status)};
        return o;
    }
    const auto present = std::find_if(record.locations.cbegin(), record.locations.cend(),
                                      [&](const BackupLocation &l) { return l.storage == archive; });
    if (present != record.locations.cend()) {
        o.location = where(*present);
    } else {
        BackupLocation added;
        if (Error e = copyTo(record, *target, from, &added)) {
            o.error = e;
            return o;
        }
        record.locations << added;
        QString err;
        if (!catalog.update(record, &err)) {
            record.locations.removeLast();
            o.error = {ExitCode::Usage, QStringLiteral("catalog: %1").arg(err)};
            // Not recorded, so not kept: the originals stay the backup.
            BackupDeleter cleanup(m_storages, m_secretFor);
            BackupRecord orphan = record;
            orphan.locations = {added};
            const BackupDeleter::Outcome c = cleanup.removeCopies(orphan);
            o.notes << c.problems;
            return o;
        }
        o.location = where(added);
    }
    o.copied = true;
    BackupDeleter deleter(m_storages, m_secretFor);
    const BackupDeleter::Outcome removed = deleter.removeStorageCopiesLeased(
        catalog, record, from, QStringLiteral("archived to %1 (%2)").arg(archive, o.location));
    o.removed = removed.removed;
    for (const QString &m : removed.missing)
        o.notes << QStringLiteral("already missing: %1").arg(m);
    if (removed.error)
        o.error = {removed.error.code,
                   QStringLiteral("archived to %1, but removing the original failed (the next prune retries): %2")
                       .arg(archive, removed.error.message)};
    return o;
}

Error ArchiveMover::copyTo(const BackupRecord &record, const StorageConfig &archive, const QStringList &from,
                           BackupLocation *added) {
    const QString secret = m_secretFor ? m_secretFor(archive.name) : QString();
    Error e;
    std::unique_ptr<BackupStore> store = StoreFactory::create(archive, secret, &e);
    if (!store)
        return {e.code, QStringLiteral("archive storage \"%1\": %2").arg(archive.name, e.message)};
    QStringList problems;
    for (const BackupLocation &loc : ArtifactReader::preferredOrder(record.locations)) {
        if (!from.contains(loc.storage))
            continue;
        const StorageConfig *src = storage(loc.storage);
        if (!src) {
            problems << QStringLiteral("%1: storage \"%2\" is not configured here").arg(where(loc), loc.storage);
            continue;
        }
        std::shared_ptr<S3Session> session;
        if (!src->isLocal()) {
            session = StoreFactory::s3Session(*src, m_secretFor ? m_secretFor(src->name) : QString(), &e);
            if (!session) {
                problems << QStringLiteral("%1: %2").arg(where(loc), e.message);
                continue;
            }
        }
        // The original's manifest, byte for byte: its signature covers these bytes.
        QByteArray manifest;
        if (session) {
            MemorySink m;
            e = session->getObject(loc.manifestPath, &m);
            manifest = m.data();
        } else {
            QFile f(loc.manifestPath);
            if (f.open(QIODevice::ReadOnly))
                manifest = f.readAll();
            else
                e = {ExitCode::Transfer, f.errorString()};
        }
        QString why;
        if (!e && Manifest::fromJson(manifest, &why).sha256 != record.sha256)
            e = {ExitCode::Integrity, why.isEmpty() ? QStringLiteral("it describes other bytes") : why};
        if (e) {
            problems
                << QStringLiteral("%1: its manifest %2 is not usable: %3").arg(where(loc), loc.manifestPath, e.message);
            continue;
        }

        if (!store->begin(record.filename, record.type.section(QLatin1Char(','), 0, 0), record.started.toUTC(),
                          record.size)) {
            return {store->error().code,
                    QStringLiteral("archive storage \"%1\": %2").arg(archive.name, store->error().message)};
        }
        // Hashed beside the destination, not in front of it: the hash is known before the copy is completed under
        // its final name, so bytes that differ from the catalog's never get one.
        ByteSink *out = store->sink();
        HashStage hash(nullptr);
        TeeSink tee({&hash, out});
        Error read;
        bool ok = false;
        if (session) {
            read = session->getObject(loc.path, &tee);
            ok = !read;
        } else {
            ok = ArtifactReader::streamFile(loc.path, &tee, 0, nullptr, &read);
        }
        if (!ok) {
            const Error written = out->error();
            store->discard();
            if (written)
                return {written.code, QStringLiteral("archive storage \"%1\": %2").arg(archive.name, written.message)};
            problems << QStringLiteral("%1: %2").arg(where(loc), read.message);
            continue;
        }
        hash.finish();
        if (QString::fromLatin1(hash.sha256Hex()) != record.sha256.toLower()) {
            store->discard();
            problems << QStringLiteral("%1: read as SHA-256 %2, the catalog says %3")
                            .arg(where(loc), QString::fromLatin1(hash.sha256Hex()), record.sha256);
            continue;
        }
        // finish() completes the copy and confirms it (S3UploadSink: HEAD size and ETag; local: fsync, rename).
        if (!out->finish()) {
            const Error written = out->error();
            store->discard();
            return {written.code == ExitCode::Ok ? ExitCode::Transfer : written.code,
                    QStringLiteral("archive storage \"%1\": %2").arg(archive.name, written.message)};
        }
        const BackupLocation loc2 = store->location();
        if (archive.isLocal()) {
            if (Error again = rehashFile(loc2.path, record.sha256)) {
                store->discard();
                return again;
            }
        }
        if (!store->putManifest(manifest)) {
            const Error pe = store->error();
            store->discard();
            return pe;
        }
        *added = loc2;
        return {};
    }
    return {ExitCode::Transfer, QStringLiteral("no copy of backup #%1 could be read for the archive: %2")
                                    .arg(record.id)
                                    .arg(problems.isEmpty() ? QStringLiteral("none on the storages to move from")
                                                            : problems.join(QStringLiteral("; ")))};
}

} // namespace lifeboat
