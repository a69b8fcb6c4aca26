#pragma once

#include "storage/S3Types.h"

#include <QByteArray>

namespace lifeboat {

// Parsers for the S3 REST API's XML answers (QXmlStreamReader; namespaces ignored, unknown elements skipped)
// and the one request body S3 wants as XML.
class S3Xml {
public:
    struct ErrorInfo {
        QString code; // "NoSuchKey", "SignatureDoesNotMatch", ...
        QString message;
        QString storageClass; // InvalidObjectState: the class the object is stored in (GLACIER, DEEP_ARCHIVE)
        bool isError() const { return !code.isEmpty(); }
    };

    static bool parseBuckets(const QByteArray &xml, QList<S3Bucket> *out);
    static bool parseList(const QByteArray &xml, S3ListResult *out);
    static QString parseUploadId(const QByteArray &xml);
    static bool parseMultipartUploads(const QByteArray &xml, S3UploadList *out);
    // An <Error> document (also sent with 200 by CompleteMultipartUpload/CopyObject when they fail late).
    static ErrorInfo parseError(const QByteArray &xml);
    static QByteArray completeMultipartBody(const QList<S3Part> &parts);
};

} // namespace lifeboat
