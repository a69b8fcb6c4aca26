#pragma once

#include "catalog/BackupRecord.h"
#include "core/ExitCode.h"
#include "pipeline/ByteSink.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace lifeboat {

// One destination of a backup (ARCHITECTURE.md "BackupStore"): it receives the artifact as a stream, then the
// manifest beside it. A backup writes to every store in one pass; if any store fails, every store discards what
// it wrote, so the catalog never records a copy that isn't whole.
class BackupStore {
public:
    virtual ~BackupStore() = default;

    virtual QString storageName() const = 0;
    // Checks the destination and prepares to receive `artifact` (sizeHint: expected bytes, -1 unknown).
    virtual bool begin(const QString &artifact, const QString &type, const QDateTime &startedUtc, qint64 sizeHint) = 0;
    virtual ByteSink *sink() = 0; // valid after begin()
    // After the sink finished: store the manifest beside the artifact.
    virtual bool putManifest(const QByteArray &json) = 0;
    // After the sink finished: stores a small companion file `name` beside the artifact (the server's roles), never
    // replacing an existing one; discard() removes it again.
    virtual bool putCompanion(const QString &name, const QByteArray &bytes) {
        Q_UNUSED(bytes)
        return fail(ExitCode::Usage, QStringLiteral("storage \"%1\" cannot store %2").arg(storageName(), name));
    }
    virtual BackupLocation location() const = 0;
    // Removes the artifact and manifest if they were created (another store failed, or the job was cancelled).
    virtual void discard() = 0;
    // Free bytes at the destination, -1 when unknown (object storage).
    virtual qint64 freeBytes() const { return -1; }

    const Error &error() const { return m_error; }

protected:
    bool fail(ExitCode code, const QString &message) {
        m_error = {code, message};
        return false;
    }

private:
    Error m_error;
};

} // namespace lifeboat
