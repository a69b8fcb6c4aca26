#pragma once

#include <QString>

namespace lifeboat {

// A named backup destination. S3 secrets are never here: CredentialStore::storageSecretKey(name), the AWS
// environment or a named AWS profile supply them.
struct StorageConfig {
    QString name;
    QString kind = QStringLiteral("local"); // local | s3
    QString localDir;
    // S3
    QString endpoint;
    QString bucket;
    QString region = QStringLiteral("us-east-1");
    QString prefix;
    bool pathStyle = false;
    QString accessKeyId;
    QString awsProfile;
    QString caFile;
    // S3 storage class for uploads (x-amz-storage-class: STANDARD_IA, GLACIER_IR, …); empty: the bucket's default.
    QString storageClass;
    // The storage's own retention rules (restic `forget` counts, -1: not set). A storage with any rule set keeps
    // its copies by these rules alone; prune then removes only this storage's copy of a record.
    int keepLast = -1;
    int keepHourly = -1;
    int keepDaily = -1;
    int keepWeekly = -1;
    int keepMonthly = -1;
    int keepYearly = -1;
    qint64 keepWithinSeconds = -1;
    // With rules of its own: copies this storage keeps only by its monthly/yearly rules move to this storage
    // (verified copy, then the copy here is removed). Empty: they stay.
    QString archiveTo;
    // Local storages: storage.low is told when the file system's free space falls under this — "N%" of it, a size
    // ("20G"), "off"; empty: 5 % (ops/StorageLow).
    QString alertFreeBelow;

    bool hasRetention() const {
        return keepLast >= 0 || keepHourly >= 0 || keepDaily >= 0 || keepWeekly >= 0 || keepMonthly >= 0 ||
               keepYearly >= 0 || keepWithinSeconds >= 0;
    }

    bool isLocal() const { return kind == QLatin1String("local"); }
    bool isS3() const { return kind == QLatin1String("s3"); }
};

} // namespace lifeboat
