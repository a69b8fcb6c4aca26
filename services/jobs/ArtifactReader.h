#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"
#include "pipeline/ByteSink.h"

#include <QList>

#include <atomic>
#include <functional>
#include <memory>

namespace lifeboat {

class S3Session;

// Reads a catalogued artifact (local file or S3 object) from the first of its locations that answers, streaming into a
// sink, and fetches verified copies: every byte goes through SHA-256 and a copy whose hash differs from the catalog's
// is deleted (exit 4), never left under its final name.
class ArtifactReader {
public:
    explicit ArtifactReader(QList<StorageConfig> storages, const std::atomic_bool *cancel = nullptr);

    // For S3 copies: the secret key of a storage that keeps one in the credential store (empty: the AWS chain).
    using SecretLookup = std::function<QString(const QString &storageName)>;
    void setSecretLookup(SecretLookup lookup) { m_secretFor = std::move(lookup); }

    // Streams the stored bytes (encrypted as stored) from `offset` into sink; does not finish the sink.
    bool streamTo(const BackupRecord &record, ByteSink *sink, qint64 offset = 0);
    // Copies to DIR/filename through NAME.partial; verifies the SHA-256.
    // scratch: a private copy for one restore, not fsynced (AtomicFileSink::setDurable).
    bool downloadTo(const BackupRecord &record, const QString &dir, QString *finalPath = nullptr, bool scratch = false);

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
    Error m_error;
};

} // namespace lifeboat
