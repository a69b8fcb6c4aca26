#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"
#include "pipeline/ByteSink.h"

#include <QList>

#include <atomic>

namespace lifeboat {

// Reads a catalogued artifact from the first of its locations that answers, streaming into a sink, and fetches
// verified copies: every byte goes through SHA-256 and a copy whose hash differs from the catalog's is deleted
// (exit 4), never left under its final name.
class ArtifactReader {
public:
    explicit ArtifactReader(QList<StorageConfig> storages, const std::atomic_bool *cancel = nullptr);

    // Streams the stored bytes (encrypted as stored) from `offset` into sink; does not finish the sink.
    bool streamTo(const BackupRecord &record, ByteSink *sink, qint64 offset = 0);
    // Copies to DIR/filename through NAME.partial; verifies the SHA-256.
    bool downloadTo(const BackupRecord &record, const QString &dir, QString *finalPath = nullptr);

    const Error &error() const { return m_error; }

    static bool streamFile(const QString &path, ByteSink *sink, qint64 offset, const std::atomic_bool *cancel,
                           Error *error);

private:
    bool fail(ExitCode code, const QString &msg) {
        m_error = {code, msg};
        return false;
    }

    QList<StorageConfig> m_storages;
    const std::atomic_bool *m_cancel;
    Error m_error;
};

} // namespace lifeboat
