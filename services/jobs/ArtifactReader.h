#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"
#include "pipeline/ByteSink.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace lifeboat {

class S3Session;

// Reads a catalogued artifact (local file or S3 object) and fetches verified copies: every byte goes through SHA-256
// on its way into the copy, and a copy whose hash differs from the catalog's is deleted (exit 4), never left under its
// final name. A fetch picks ONE stored copy — local ones first, then buckets, each in record order — and falls back
// to the next when one is missing, unreadable or damaged; it says which one it used.
class ArtifactReader {
public:
    // Which stored copy a fetch read, and why the ones before it were passed over.
    struct CopyUsed {
        QString storage;     // storage name
        QString kind;        // "local" | "s3"
        QString location;    // path or object key
        QStringList skipped; // "local storage \"disk\" (/x/y.dump): checksum mismatch …"
        bool valid() const { return !kind.isEmpty(); }
        QString describe() const; // "local storage \"disk\" (/x/y.dump)"
        QJsonObject toJson() const;
    };

    explicit ArtifactReader(QList<StorageConfig> storages, const std::atomic_bool *cancel = nullptr);

    // For S3 copies: the secret key of a storage that keeps one in the credential store (empty: the AWS chain).
    using SecretLookup = std::function<QString(const QString &storageName)>;
    void setSecretLookup(SecretLookup lookup) { m_secretFor = std::move(lookup); }
    // Called on the fetching thread as a local copy's chunks are copied (the holder renews its backup lease there);
    // an S3 copy calls it once before and once after its GET.
    void setOnProgress(std::function<void()> fn) { m_onProgress = std::move(fn); }

    // Copies to DIR/filename through NAME.partial, hashing the bytes as they are written; the SHA-256 is compared
    // before the final name exists. Tries the copies in preference order (see the class comment) and reports the one
    // used in *used. scratch: a private copy for one restore, not fsynced (AtomicFileSink::setDurable).
    bool downloadTo(const BackupRecord &record, const QString &dir, QString *finalPath = nullptr, bool scratch = false,
                    CopyUsed *used = nullptr);
    // What a downloaded artifact needs beside it to be restored as a file (`restore FILE`): its manifest, read from
    // the copy `used` just came from (a file restore reads FILE.manifest.json), and the server's roles (profile
    // --globals), hashed in the catalog and read like the artifact. Neither overwrites a file. Returns the paths
    // written; *problems says in words what could not be copied (the artifact itself stays: it is verified).
    QStringList downloadCompanions(const BackupRecord &record, const CopyUsed &used, const QString &artifactPath,
                                   QStringList *problems);
    // The roles file (profile --globals) of a backup as a record of its own, for downloadTo: it lies beside every
    // copy of the artifact, under its name, with its recorded SHA-256.
    static BackupRecord rolesCompanion(const BackupRecord &record);
    // The record's copies in the order a fetch tries them: local first, then S3, then anything else.
    static QList<BackupLocation> preferredOrder(const QList<BackupLocation> &locations);
    // Copies one file to target (through target.partial) hashing it; compares with expectedSha256 when not empty.
    static bool copyFileVerified(const QString &source, const QString &target, const QString &expectedSha256,
                                 bool durable, const std::atomic_bool *cancel, Error *error,
                                 const std::function<void()> &onChunk = {});

    const Error &error() const { return m_error; }

    static bool streamFile(const QString &path, ByteSink *sink, qint64 offset, const std::atomic_bool *cancel,
                           Error *error);

private:
    bool fail(ExitCode code, const QString &msg) {
        m_error = {code, msg};
        return false;
    }

    std::shared_ptr<S3Session> sessionFor(const BackupLocation &loc, QString *problem);

    QList<StorageConfig> m_storages;
    const std::atomic_bool *m_cancel;
    SecretLookup m_secretFor;
    std::function<void()> m_onProgress;
    Error m_error;
};

} // namespace lifeboat
