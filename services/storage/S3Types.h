#pragma once

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

namespace lifeboat {

// Plain results of S3 operations, shared by S3Client, S3Session, S3UploadSink and the bucket model.

struct S3Bucket {
    QString name;
    QDateTime created;
};

struct S3ObjectInfo {
    QString key;
    qint64 size = -1;
    QDateTime lastModified;
    QString etag;                    // without quotes
    QString storageClass;            // from listings
    QString contentType;             // from HEAD
    QMap<QString, QString> metadata; // x-amz-meta-* (names lower-case, without the prefix), from HEAD
    QString serverSideEncryption;    // from HEAD: "AES256", "aws:kms", …; "SSE-C" for customer-provided keys
};

struct S3ListResult {
    QList<S3ObjectInfo> objects;
    QStringList commonPrefixes; // "folders" when a delimiter was given
    bool truncated = false;
    QString nextContinuationToken;
};

struct S3Part {
    int number = 0;
    QString etag; // as returned (with quotes)
};

// An unfinished multipart upload (ListMultipartUploads): its parts are stored, and billed, until it is completed
// or aborted.
struct S3MultipartUpload {
    QString key;
    QString uploadId;
    QDateTime initiated;
};

struct S3UploadList {
    QList<S3MultipartUpload> uploads;
    bool truncated = false;
    QString nextKeyMarker;
    QString nextUploadIdMarker;
};

} // namespace lifeboat
