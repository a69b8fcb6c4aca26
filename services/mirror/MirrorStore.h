#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"
#include "pipeline/ByteSink.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace lifeboat {

class S3Session;

// Where one mirror keeps its copies: an S3 storage ({prefix}/mirror/{name}/…) or a local storage directory
// (DIR/mirror/{name}/…). Below that root: objects/{run}/{key} for the bytes, runs/{run}.json for each run's
// object list. Writers are atomic (a local .partial renamed on finish; an S3 upload that is aborted on failure),
// so a stored key only ever holds a whole object. Blocking: worker threads and the CLI only.
class MirrorStore {
public:
    // Objects larger than one part go up as multipart uploads while they download.
    static constexpr qint64 kPartSize = 8 * 1024 * 1024;

    static std::unique_ptr<MirrorStore> open(const StorageConfig &config, const QString &secret,
                                             const QString &mirrorName, Error *error);
    ~MirrorStore();

    QString storageName() const { return m_config.name; }
    bool isS3() const { return m_config.isS3(); }
    // Full object key or file path of a path relative to the mirror root.
    QString fullPath(const QString &relative) const;

    // A sink storing `relative`; finish() commits it, abort() (or destruction before finish) leaves nothing.
    std::unique_ptr<ByteSink> writer(const QString &relative, qint64 expectedSize, Error *error);
    // Streams a stored object into sink (not finished here).
    Error read(const QString &relative, ByteSink *sink);
    // Writes runs/{runId}.json; *location names it for the catalog.
    Error putObjectList(const QString &runId, const QByteArray &json, BackupLocation *location);
    // Reads an object list named by a catalog location (full key or path, as putObjectList recorded it).
    Error readObjectList(const BackupLocation &location, QByteArray *json);
    // Best effort: removes everything stored under objects/{runId}/ (a run that failed part-way).
    void removeRun(const QString &runId);

private:
    MirrorStore(StorageConfig config, QString mirrorName);

    StorageConfig m_config;
    QString m_name;
    QString m_root; // local directory or key prefix (no trailing '/')
    std::shared_ptr<S3Session> m_session;
};

} // namespace lifeboat
