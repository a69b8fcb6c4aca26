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

    bool isLocal() const { return kind == QLatin1String("local"); }
    bool isS3() const { return kind == QLatin1String("s3"); }
};

} // namespace lifeboat
