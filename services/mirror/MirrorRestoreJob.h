#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"
#include "jobs/Job.h"
#include "mirror/MirrorManifest.h"

#include <QStringList>

#include <memory>

namespace lifeboat {

class MirrorStore;
class S3Session;

// Puts every object of one mirror run's list back into a bucket: target storage + prefix (default: the prefix it
// was mirrored from). check() runs first and touches nothing: an object already at a target key with different
// content is a conflict, refused as a whole (ExitCode::Refused) unless overwrite is set; an identical one is
// skipped. Each object streams GET (mirror) → PUT (target) and is checked against the SHA-256 in the list.
class MirrorRestoreJob : public Job {
    Q_OBJECT
public:
    struct Request {
        BackupRecord record; // kind "mirror"
        StorageConfig mirrorStorage;
        QString mirrorSecret;
        StorageConfig target;
        QString targetSecret;
        QString prefix; // relative to the target storage's prefix; null: the run's original source prefix
        bool overwrite = false;
    };
    struct Check {
        MirrorManifest manifest;
        QString targetPrefix; // full key prefix in the target bucket
        QStringList toWrite;  // relative keys
        QStringList identical;
        QStringList conflicts; // different objects already at the target
    };

    explicit MirrorRestoreJob(Request request, QObject *parent = nullptr);
    ~MirrorRestoreJob() override;

    QString title() const override;

    // Loads the run's list and compares it with the target; Refused when conflicts exist and overwrite is off.
    Error check(Check *out);

protected:
    JobResult execute() override;

private:
    Error open();
    Error sameContent(const MirrorEntry &entry, const QString &targetKey, bool *identical);
    // Streams the entry's mirror copy to targetKey; the SHA-256 is compared before the upload completes.
    Error writeObject(const MirrorEntry &entry, const QString &targetKey, bool createOnly, QString *md5Hex = nullptr);
    // --overwrite of an existing key: temporary key, verified, then copied over the original (see execute()).
    Error replaceObject(const MirrorEntry &entry, const QString &targetKey);

    Request m_req;
    std::unique_ptr<MirrorStore> m_store;
    std::shared_ptr<S3Session> m_target;
};

} // namespace lifeboat
