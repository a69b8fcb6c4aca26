#include "wal/WalFetcher.h"

#include "pipeline/Sha256.h"
#include "wal/LocalWalStorage.h"
#include "wal/WalCodec.h"
#include "wal/WalName.h"

namespace lifeboat {

WalFetcher::WalFetcher(Setup setup)
    : m_setup(std::move(setup)) {}

WalFetcher::~WalFetcher() = default;

WalFetcher::Outcome WalFetcher::fetch(const QString &name, const QString &dest, bool allowPartial) {
    const auto wal = WalName::parse(name);
    if (!wal) {
        Outcome o;
        o.result = Result::Failed;
        o.error = {ExitCode::Usage, QStringLiteral("%1 is not a WAL file name").arg(name)};
        return o;
    }
    Outcome o = fetchKind(wal->name, wal->kind, dest);
    if (o.result == Result::NotFound && allowPartial && wal->kind == QLatin1String("segment")) {
        o = fetchKind(wal->name, QStringLiteral("partial"), dest);
        o.partial = o.result == Result::Fetched;
    }
    return o;
}

WalFetcher::Outcome WalFetcher::fetchKind(const QString &name, const QString &kind, const QString &dest) {
    Outcome o;
    WalName wal;
    wal.name = name;
    wal.kind = kind;
    wal.timeline = name.left(8).toUInt(nullptr, 16);

    auto deliver = [&](WalStorage &s, const QString &rel, const QByteArray &plain, bool fromCatalog) {
        Error e;
        if (LocalWalStorage::writeFile(dest, plain, /*replace=*/true, &e) == WalStorage::Put::Failed) {
            o.result = Result::Failed;
            o.error = e;
            return;
        }
        o.result = Result::Fetched;
        o.storage = s.name();
        o.location = s.location(rel);
        o.bytes = plain.size();
        o.fromCatalog = fromCatalog;
    };

    WalFileFilter filter;
    filter.profile = m_setup.profile;
    filter.name = name;
    filter.kind = kind;
    const QList<WalFileRecord> rows = m_setup.catalog->walFiles(filter);
    Error lastProblem;
    bool anyRow = false;
    for (const auto &storage : m_setup.storages) {
        for (const WalFileRecord &row : rows) {
            if (row.storage != storage->name())
                continue;
            anyRow = true;
            const QString rel = wal.relativePath(m_setup.profile, row.encrypted);
            QByteArray stored;
            bool found = false;
            if (const Error e = storage->get(rel, &stored, &found)) {
                lastProblem = e;
                log(e.message);
                continue;
            }
            if (!found) {
                lastProblem = {ExitCode::Integrity,
                               QStringLiteral("storage \"%1\" has lost %2 (the catalog records it)")
                                   .arg(storage->name(), storage->location(rel))};
                log(lastProblem.message);
                continue;
            }
            const QString sha = QString::fromLatin1(Sha256::hex(stored));
            QString expectedPlain = row.plainSha256;
            bool staleRow = false;
            WalStorage::Object obj;
            if (sha != row.sha256) {
                // A partial is replaced in storage before its row: a push killed in between leaves a good object
                // under a stale row. The object's own plain SHA-256 (xattr, sidecar or S3 metadata) vouches for it
                // then, checked against the decoded bytes below.
                bool statFound = false;
                if (kind == QLatin1String("partial") && !storage->stat(rel, &obj, &statFound) && statFound &&
                    !obj.plainSha256.isEmpty() && obj.plainSha256 != row.plainSha256) {
                    expectedPlain = obj.plainSha256;
                    staleRow = true;
                } else {
                    lastProblem = {
                        ExitCode::Integrity,
                        QStringLiteral("%1 in storage \"%2\" is damaged: SHA-256 %3, the catalog recorded %4")
                            .arg(storage->location(rel), storage->name(), sha, row.sha256)};
                    log(lastProblem.message);
                    continue;
                }
            }
            QByteArray plain;
            Error e;
            if (!WalCodec::decode(stored, row.encrypted, m_setup.identities, &plain, &e)) {
                lastProblem = {e.code, QStringLiteral("%1: %2").arg(storage->location(rel), e.message)};
                log(lastProblem.message);
                if (e.code == ExitCode::Usage)
                    break;
                continue;
            }
            if (QString::fromLatin1(Sha256::hex(plain)) != expectedPlain) {
                lastProblem = {
                    ExitCode::Integrity,
                    QStringLiteral("%1 decodes to other bytes than were archived").arg(storage->location(rel))};
                log(lastProblem.message);
                continue;
            }
            if (staleRow) {
                WalFileRecord fresh = row;
                fresh.size = stored.size();
                fresh.sha256 = sha;
                fresh.plainSha256 = expectedPlain;
                fresh.plainSize = plain.size();
                if (obj.modified.isValid())
                    fresh.stored = obj.modified;
                QString why;
                log(m_setup.catalog->putWalFile(fresh, &why)
                        ? QStringLiteral("the catalog's row for %1 was older than the object (an interrupted push): "
                                         "recorded its SHA-256 %2")
                              .arg(storage->location(rel), sha)
                        : QStringLiteral("the catalog's row for %1 is older than the object and could not be "
                                         "updated: %2")
                              .arg(storage->location(rel), why));
            }
            deliver(*storage, rel, plain, true);
            return o;
        }
    }
    if (anyRow) {
        // Recorded, and no copy was good: recovery must stop here rather than skip the segment.
        o.result = Result::Failed;
        o.error = lastProblem;
        return o;
    }
    // Not in the catalog: the storages themselves (a lost or rebuilt catalog).
    for (const auto &storage : m_setup.storages) {
        for (const bool encrypted : {false, true}) {
            const QString rel = wal.relativePath(m_setup.profile, encrypted);
            QByteArray stored;
            bool found = false;
            if (const Error e = storage->get(rel, &stored, &found)) {
                lastProblem = e;
                log(e.message);
                continue;
            }
            if (!found)
                continue;
            QByteArray plain;
            Error e;
            if (!WalCodec::decode(stored, encrypted, m_setup.identities, &plain, &e)) {
                lastProblem = {e.code, QStringLiteral("%1: %2").arg(storage->location(rel), e.message)};
                log(lastProblem.message);
                continue;
            }
            WalStorage::Object obj;
            bool statFound = false;
            if (!storage->stat(rel, &obj, &statFound) && statFound && !obj.plainSha256.isEmpty() &&
                obj.plainSha256 != QString::fromLatin1(Sha256::hex(plain))) {
                lastProblem = {
                    ExitCode::Integrity,
                    QStringLiteral("%1 decodes to other bytes than were archived").arg(storage->location(rel))};
                log(lastProblem.message);
                continue;
            }
            deliver(*storage, rel, plain, false);
            return o;
        }
    }
    if (lastProblem) {
        o.result = Result::Failed;
        o.error = lastProblem;
    }
    return o;
}

} // namespace lifeboat
