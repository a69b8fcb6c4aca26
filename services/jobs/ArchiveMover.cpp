#include "jobs/ArchiveMover.h"

#include "catalog/LeaseGuard.h"
#include "catalog/Manifest.h"
#include "jobs/ArtifactReader.h"
#include "jobs/StoreFactory.h"
#include "pipeline/HashStage.h"
#include "pipeline/MemorySink.h"
#include "pipeline/Sha256.h"
#include "pipeline/TeeSink.h"
#include "storage/S3Config.h"
#include "storage/S3Session.h"
#include "storage/S3Types.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

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

namespace {
// An endpoint as the client would reach it: the configured one, or AWS's regional endpoint.
QString endpointOf(const StorageConfig &s) {
    S3Config c;
    c.endpoint = QUrl(s.endpoint);
    c.region = s.region;
    const QUrl u = c.effectiveEndpoint();
    return QStringLiteral("%1://%2:%3")
        .arg(u.scheme().toLower(), u.host().toLower())
        .arg(u.port(u.scheme() == QLatin1String("http") ? 80 : 443));
}
QString cleanPrefix(QString p) {
    while (p.startsWith(QLatin1Char('/')))
        p.remove(0, 1);
    while (p.endsWith(QLatin1Char('/')))
        p.chop(1);
    return p;
}
// A local path with its existing part resolved (symbolic links, "..") and the rest appended.
QString resolved(const QString &path) {
    QString probe = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QString rest;
    while (!probe.isEmpty() && !QFileInfo::exists(probe)) {
        const QFileInfo fi(probe);
        rest = rest.isEmpty() ? fi.fileName() : fi.fileName() + QLatin1Char('/') + rest;
        const QString up = fi.absolutePath();
        if (up == probe)
            break;
        probe = up;
    }
    const QString canonical = QFileInfo(probe).canonicalFilePath();
    const QString base = canonical.isEmpty() ? probe : canonical;
    return rest.isEmpty() ? base : QDir::cleanPath(base + QLatin1Char('/') + rest);
}
bool within(const QString &inner, const QString &outer) {
    return outer.isEmpty() || inner == outer || inner.startsWith(outer + QLatin1Char('/')) ||
           (outer == QLatin1String("/"));
}
} // namespace

QString ArchiveMover::overlap(const StorageConfig &archive, const StorageConfig &source) {
    if (archive.kind != source.kind)
        return {};
    if (archive.isLocal()) {
        const QString a = resolved(archive.localDir);
        const QString b = resolved(source.localDir);
        if (a.isEmpty() || b.isEmpty() || (!within(a, b) && !within(b, a)))
            return {};
        return a == b ? QStringLiteral("storages \"%1\" and \"%2\" are the same directory (%3)")
                            .arg(archive.name, source.name, a)
                      : QStringLiteral("the directories of storages \"%1\" (%2) and \"%3\" (%4) lie one inside the "
                                       "other")
                            .arg(archive.name, a, source.name, b);
    }
    if (endpointOf(archive) != endpointOf(source) || archive.bucket != source.bucket)
        return {};
    const QString a = cleanPrefix(archive.prefix);
    const QString b = cleanPrefix(source.prefix);
    if (!within(a, b) && !within(b, a))
        return {};
    return QStringLiteral("storages \"%1\" and \"%2\" share bucket %3 at %4 with prefixes \"%5\" and \"%6\", one "
                          "inside the other")
        .arg(archive.name, source.name, archive.bucket, endpointOf(archive), a, b);
}

bool ArchiveMover::sameObject(const StorageConfig &a, const QString &pathA, const StorageConfig &b,
                              const QString &pathB) {
    if (a.kind != b.kind)
        return false;
    if (a.isLocal())
        return resolved(pathA) == resolved(pathB);
    return pathA == pathB && a.bucket == b.bucket && endpointOf(a) == endpointOf(b);
}

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
    for (const QString &name : from) {
        const StorageConfig *src = storage(name);
        if (const QString why = src ? overlap(*target, *src) : QString(); !why.isEmpty()) {
            o.error = {ExitCode::Usage, QStringLiteral("archive storage \"%1\" overlaps storage \"%2\" (%3): not moved")
                                            .arg(archive, name, why)};
            return o;
        }
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
        // The catalog's word is not enough to remove the originals on: the copy must be there, holding these bytes.
        if (Error e = verifyCopy(record, *present)) {
            o.error = {e.code,
                       QStringLiteral("the copy the catalog lists on %1 (%2) cannot be confirmed, the originals "
                                      "stay: %3")
                           .arg(archive, where(*present), e.message)};
            return o;
        }
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

Error ArchiveMover::verifyCopy(const BackupRecord &record, const BackupLocation &loc, bool *absent) const {
    if (absent)
        *absent = false;
    const StorageConfig *sc = storage(loc.storage);
    if (!sc || sc->kind != loc.kind)
        return {ExitCode::Usage,
                QStringLiteral("storage \"%1\" is not configured here as %2").arg(loc.storage, loc.kind)};
    if (sc->isLocal()) {
        if (!QFileInfo::exists(loc.path)) {
            if (absent)
                *absent = true;
            return {ExitCode::Integrity, QStringLiteral("%1 is not there").arg(loc.path)};
        }
        return rehashFile(loc.path, record.sha256);
    }
    Error e;
    const std::shared_ptr<S3Session> session =
        StoreFactory::s3Session(*sc, m_secretFor ? m_secretFor(sc->name) : QString(), &e);
    if (!session)
        return e;
    S3ObjectInfo info;
    int status = 0;
    if (Error h = session->headObject(loc.path, &info, &status)) {
        if (status != 404)
            return h;
        if (absent)
            *absent = true;
        return {ExitCode::Integrity, QStringLiteral("%1 is not there").arg(where(loc))};
    }
    if (record.size > 0 && info.size != record.size)
        return {
            ExitCode::Integrity,
            QStringLiteral("%1 holds %2 bytes, the catalog says %3").arg(where(loc)).arg(info.size).arg(record.size)};
    const QString sha = info.metadata.value(QStringLiteral("sha256"));
    if (!sha.isEmpty()) {
        if (sha.compare(record.sha256, Qt::CaseInsensitive) != 0)
            return {ExitCode::Integrity, QStringLiteral("%1 is SHA-256 %2 by its metadata, the catalog says %3")
                                             .arg(where(loc), sha, record.sha256)};
        return {};
    }
    // A multipart upload carries no SHA-256 of its own (S3UploadSink): read it and hash it.
    HashStage hash(nullptr);
    if (Error g = session->getObject(loc.path, &hash))
        return g;
    hash.finish();
    if (QString::fromLatin1(hash.sha256Hex()) != record.sha256.toLower())
        return {ExitCode::Integrity, QStringLiteral("%1 reads as SHA-256 %2, the catalog says %3")
                                         .arg(where(loc), QString::fromLatin1(hash.sha256Hex()), record.sha256)};
    return {};
}

Error ArchiveMover::adopt(BackupStore &store, const StorageConfig &archive, const QByteArray &manifest,
                          const BackupLocation &dest, BackupLocation *added) {
    QByteArray there;
    bool found = false;
    if (archive.isLocal()) {
        QFile f(dest.manifestPath);
        found = f.exists();
        if (found && !f.open(QIODevice::ReadOnly))
            return {ExitCode::Transfer, QStringLiteral("cannot read %1: %2").arg(dest.manifestPath, f.errorString())};
        if (found)
            there = f.readAll();
    } else {
        Error e;
        const std::shared_ptr<S3Session> session =
            StoreFactory::s3Session(archive, m_secretFor ? m_secretFor(archive.name) : QString(), &e);
        if (!session)
            return e;
        S3ObjectInfo info;
        int status = 0;
        if (Error h = session->headObject(dest.manifestPath, &info, &status); h && status != 404)
            return h;
        found = status != 404;
        if (found) {
            MemorySink m;
            if (Error g = session->getObject(dest.manifestPath, &m))
                return g;
            there = m.data();
        }
    }
    if (found && there != manifest)
        return {ExitCode::Refused,
                QStringLiteral("archive storage \"%1\" holds this backup's bytes at %2, but a manifest beside it that "
                               "is not the original's: remove or rename %3 there, then prune again")
                    .arg(archive.name, where(dest), dest.manifestPath)};
    if (!found && !store.putManifest(manifest))
        return store.error();
    *added = dest;
    return {};
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

        const bool begun = store->begin(record.filename, record.type.section(QLatin1Char(','), 0, 0),
                                        record.started.toUTC(), record.size);
        // Where the copy would go (known once begun, or refused for being taken). Standing where an original is, the
        // removal of the originals would take the only copy.
        const BackupLocation dest = store->location();
        if (!dest.path.isEmpty()) {
            for (const BackupLocation &orig : record.locations) {
                const StorageConfig *origStorage = storage(orig.storage);
                if (origStorage && sameObject(*origStorage, orig.path, archive, dest.path)) {
                    if (begun)
                        store->discard();
                    return {ExitCode::Refused,
                            QStringLiteral("archive storage \"%1\" would write %2, where the copy on %3 is: an archive "
                                           "storage must not overlap a storage it archives")
                                .arg(archive.name, where(dest), orig.storage)};
                }
            }
        }
        if (!begun) {
            // Create-only writes refuse a taken name. A move that stopped after its copy and manifest were written
            // but before the catalog recorded them left exactly that: adopt it when it holds these bytes.
            bool absent = false;
            const Error v =
                dest.path.isEmpty() ? Error{ExitCode::Transfer, QString()} : verifyCopy(record, dest, &absent);
            if (!v)
                return adopt(*store, archive, manifest, dest, added);
            if (!absent && !dest.path.isEmpty() && v.code == ExitCode::Integrity)
                return {ExitCode::Refused,
                        QStringLiteral("archive storage \"%1\" already holds %2, which is not this backup's copy (%3): "
                                       "remove or rename it there, then prune again")
                            .arg(archive.name, where(dest), v.message)};
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
        if (record.globals.present()) {
            // The server's roles beside the copy (profile --globals) move with it, checked by their SHA-256: the
            // originals' removal takes them from the old storage.
            const QString from = record.globals.siblingOf(loc.path);
            QByteArray roles;
            Error re;
            if (session) {
                MemorySink m;
                re = session->getObject(from, &m);
                roles = m.data();
            } else {
                QFile f(from);
                if (f.open(QIODevice::ReadOnly))
                    roles = f.readAll();
                else
                    re = {ExitCode::Transfer, f.errorString()};
            }
            if (!re && QString::fromLatin1(Sha256::hex(roles)) != record.globals.sha256.toLower())
                re = {ExitCode::Integrity, QStringLiteral("it does not match its recorded SHA-256")};
            if (re || !store->putCompanion(record.globals.filename, roles)) {
                const Error pe = re ? re : store->error();
                store->discard();
                return {pe.code, QStringLiteral("the roles file %1 beside %2 could not be moved: %3 — the backup stays "
                                                "where it is")
                                     .arg(record.globals.filename, where(loc), pe.message)};
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
