#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>

namespace lifeboat {

using ByteHeaders = QList<QPair<QByteArray, QByteArray>>;

// What SigV4 signs: the request line and headers as they will go on the wire. path and query are *decoded*
// (raw UTF-8 bytes); the signer encodes them exactly once, as S3 wants.
struct SigV4Request {
    QByteArray method = "GET";
    QByteArray path = "/";  // decoded, e.g. "/bucket/my key.txt"; never normalized
    ByteHeaders query;      // decoded name/value pairs, any order
    ByteHeaders headers;    // must include Host; any case, any order
    QByteArray payloadHash; // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"; empty means SHA-256 of ""
};

struct SigV4Credentials {
    QByteArray accessKeyId;
    QByteArray secretAccessKey;
    QByteArray sessionToken; // empty unless temporary (STS) credentials
};

// AWS Signature Version 4, hand-written because the stack is Qt Network (no AWS SDK); checked against the AWS
// signing test suite (aws-c-auth, the "normalize": false cases that follow S3's rules) and the S3 documentation
// examples in tests/unit/tst_sigv4.cpp.
//
// S3 deviates from generic SigV4 in two ways that matter here: the path is URI-encoded once (not twice) and is
// not normalized ("/a/../b" is signed as written, since "a/../b" is a valid key). The signer is pure: the
// caller supplies the time, so tests are reproducible and the client can sign retries afresh.
class SigV4Signer {
public:
    SigV4Signer(SigV4Credentials credentials, QByteArray region, QByteArray service = "s3");

    struct Signed {
        QByteArray canonicalRequest;
        QByteArray stringToSign;
        QByteArray signature; // hex
        // Header signing: headers to add to the request (X-Amz-Date, [X-Amz-Content-Sha256],
        // [X-Amz-Security-Token], Authorization). Query signing: the complete encoded query string.
        ByteHeaders addHeaders;
        QByteArray encodedQuery;
    };

    // Signs with an Authorization header. addContentSha256 adds X-Amz-Content-Sha256 (S3 requires it; the
    // generic test suite does not use it).
    Signed signHeaders(const SigV4Request &request, const QDateTime &time, bool addContentSha256 = true) const;
    // Presigned (query-string) signing; only Host is signed. For S3 the payload hash is UNSIGNED-PAYLOAD.
    Signed presign(const SigV4Request &request, const QDateTime &time, qint64 expiresSeconds) const;

    // RFC 3986 unreserved characters stay, everything else becomes %XX (upper case); '/' stays when !encodeSlash.
    static QByteArray uriEncode(QByteArrayView bytes, bool encodeSlash = true);
    static QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);
    static QByteArray amzDate(const QDateTime &time); // 20130524T000000Z
    static QByteArray emptyPayloadHash();

private:
    QByteArray canonicalRequest(const SigV4Request &request, const ByteHeaders &query, const ByteHeaders &headers,
                                QByteArray *signedHeaders) const;
    QByteArray scope(const QDateTime &time) const;
    QByteArray stringToSign(const QDateTime &time, const QByteArray &canonical) const;
    QByteArray signature(const QDateTime &time, const QByteArray &stringToSign) const;

    SigV4Credentials m_credentials;
    QByteArray m_region;
    QByteArray m_service;
};

} // namespace lifeboat
