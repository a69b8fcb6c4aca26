#pragma once

#include "catalog/Catalog.h"
#include "catalog/MirrorConfig.h"
#include "catalog/StorageConfig.h"
#include "jobs/Job.h"
#include "mirror/MirrorManifest.h"

#include <memory>

namespace lifeboat {

struct S3Config;
class S3Session;
class MirrorStore;

// One run of a bucket mirror: lists the source prefix, compares it with the previous COMPLETED run's object list
// (size + ETag), streams every new or changed object GET → PUT into the mirror (no server-side copy: source and
// backup storage may be different endpoints; large objects go up as multipart uploads while they download),
// hashing each one, then writes the run's object list and a catalog record of kind "mirror". Objects gone from
// the source are listed as deleted and stay in the mirror. A run that fails part-way removes what it copied and
// leaves a FAILED record; the next run compares with the last COMPLETED list, so nothing is skipped.
class MirrorJob : public Job {
    Q_OBJECT
public:
    struct Options {
        QString setId;
        QString type = QStringLiteral("MANUAL");
        QString label;
    };
    struct Request {
        MirrorConfig mirror;
        StorageConfig source;
        QString sourceSecret;
        StorageConfig destination;
        QString destinationSecret;
        std::shared_ptr<Catalog> catalog;
        Options options;
    };

    explicit MirrorJob(Request request, QObject *parent = nullptr);
    ~MirrorJob() override;

    QString title() const override;

    // The full key prefix listed in the source bucket: the storage's prefix joined with the mirror's, as a folder
    // ("media" → "media/", so "media2/…" is not part of it).
    static QString sourceKeyPrefix(const S3Config &source, const QString &mirrorPrefix);
    // The newest COMPLETED run of a mirror, if any.
    static std::optional<BackupRecord> lastRun(Catalog &catalog, const QString &mirrorName);

protected:
    JobResult execute() override;

private:
    Error copyObject(S3Session &source, MirrorStore &store, const QString &sourceKey, MirrorEntry &entry);
    JobResult finishRecord(BackupRecord &record, const Error &e, MirrorStore *store, const QString &runId);

    Request m_req;
    JobProgress m_progress;
    int m_multipartObjects = 0; // copies that went up as multipart uploads (S3 destinations)
};

} // namespace lifeboat
