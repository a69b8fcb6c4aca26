#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/Catalog.h"
#include "catalog/Manifest.h"
#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"
#include "crypto/AgeIdentity.h"
#include "jobs/ArtifactReader.h"
#include "pipeline/ByteSink.h"

#include <QString>

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace lifeboat {

// Where a restore reads from: a catalogued backup (any of its stored copies, through ArtifactReader — the seam
// where S3 copies plug in) or any file path, also one Lifeboat never saw (its manifest is read when it lies
// beside it as FILE.manifest.json). It knows the checksum to verify, whether the bytes are age-encrypted, and
// hands out the plaintext: streamed, as a prefix for header inspection, or written to a private temporary file
// when a tool needs to seek.
class RestoreSource {
public:
    // "42" (a catalog id) or a path. A number that is also an existing file is read as the file.
    static std::optional<RestoreSource> open(const QString &spec, Catalog *catalog, QList<StorageConfig> storages,
                                             Error *error);

    // Restore and verify through pg_restore are for database dumps. A file, Redis or mirror backup (a catalog
    // record of that kind, or a file whose manifest says so) is refused here, before any check or download, with
    // the command that does handle it — shared by `lifeboatctl restore|verify`, the restore wizard and set restores.
    // `action` is "restore" or "verify".
    Error requireDatabase(const QString &action = QStringLiteral("restore")) const;
    // "database" | "files" | "redis" | "mirror"; empty for a file Lifeboat knows nothing about.
    QString kind() const;

    void setIdentities(std::vector<AgeIdentity> identities) { m_identities = std::move(identities); }
    void setCancelFlag(const std::atomic_bool *cancel) { m_cancel = cancel; }
    void setSecretLookup(ArtifactReader::SecretLookup lookup) { m_secretFor = std::move(lookup); }
    // Database dumps compressed by Lifeboat (NAME.dump.zst, .sql.zst, .tar.zst) are a zstd frame around the
    // archive: with this set, every plaintext reader below gets the archive itself (a stream starting with the
    // zstd magic is decompressed on the way), and localPlainPath() is empty for such a file, so a tool that must
    // seek gets it decompressed once into scratch by materialize(). Off for readers that decompress themselves.
    void setUnwrapZstd(bool on) { m_unwrapZstd = on; }
    // Called with the running total of stored bytes read (compressed and/or encrypted, as they lie in the copy) by
    // every stream until reset: progress against size() that can never pass it, whatever the stream expands to.
    void setStoredProgress(std::function<void(qint64)> fn) { m_storedProgress = std::move(fn); }
    // The stored plaintext is a zstd stream (checked on the file: unencrypted only; false otherwise).
    bool storedIsZstd() const;

    // The one copy every later step reads. A catalogued backup (any of its copies: local first, then buckets, the
    // next one when a copy is missing or damaged) and a file with a known checksum are copied once into `dir` (a
    // private scratch directory), hashed on the way; only a copy whose SHA-256 matches is kept. From then on every
    // reader — the header peek, pg_restore, psql, tar extraction, the TOC reader — reads that scratch copy: the bytes
    // that were hashed, and a remote object is never read twice. A file without a known checksum is read in place.
    bool needsFetch() const;
    bool fetchVerified(const QString &dir, Error *error);
    // Which stored copy was used (catalogued backups, after fetchVerified).
    const ArtifactReader::CopyUsed &copyUsed() const { return m_copy; }
    // One line for reports: the copy used and any copy passed over; the path for a file.
    QString copyDescription() const;

    QString displayName() const; // "backup #42 (file.dump)" or the path
    bool isRecord() const { return m_record.id > 0; }
    const BackupRecord &record() const { return m_record; }
    const std::optional<Manifest> &manifest() const { return m_manifest; }
    QString expectedSha256() const { return m_expectedSha; }
    bool encrypted() const { return m_encrypted; }
    qint64 size() const { return m_size; }
    QString fileName() const;
    // The format Lifeboat recorded (custom | plain | directory), empty for unknown files.
    QString recordedFormat() const { return m_record.format; }

    // After fetchVerified the checksum has been compared on the way into scratch; before it (or for a file without
    // a known checksum) it reads the stored bytes through SHA-256. Without a known checksum it returns true and sets
    // *skipped.
    bool verifyIntegrity(Error *error, bool *skipped = nullptr, QString *actual = nullptr);
    // The first `n` plaintext bytes (decrypting as needed); a wrong key is ExitCode::Integrity.
    QByteArray peekPlain(qsizetype n, Error *error);
    // Streams the plaintext into sink (not finished here).
    bool streamPlain(ByteSink *sink, Error *error);
    // An unencrypted local copy that tools can open and seek directly, or empty.
    QString localPlainPath() const;
    // Writes the plaintext to a 0600 file in dir (a private scratch directory: not fsynced) and returns its path.
    QString materialize(const QString &dir, Error *error);

private:
    bool streamStored(ByteSink *sink, Error *error);
    bool streamDecrypted(ByteSink *sink, Error *error);

    BackupRecord m_record; // id 0 for a bare file
    QList<StorageConfig> m_storages;
    QString m_path; // bare file, or the verified scratch copy (fetchVerified)
    std::optional<Manifest> m_manifest;
    QString m_expectedSha;
    bool m_encrypted = false;
    bool m_fetchedVerified = false;
    ArtifactReader::CopyUsed m_copy;
    qint64 m_size = -1;
    std::vector<AgeIdentity> m_identities;
    const std::atomic_bool *m_cancel = nullptr;
    ArtifactReader::SecretLookup m_secretFor;
    bool m_unwrapZstd = false;
    std::function<void(qint64)> m_storedProgress;
};

} // namespace lifeboat
