#include "storage/SigV4Signer.h"

#include "pipeline/Sha256.h"

#include <QMap>
#include <QTimeZone>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

namespace lifeboat {

namespace {

QByteArray trimAndCollapse(const QByteArray &value) {
    // SigV4: trim, and collapse runs of spaces to one (quoted strings are not special for S3).
    QByteArray out;
    out.reserve(value.size());
    bool space = false;
    for (char c : value.trimmed()) {
        if (c == ' ' || c == '\t') {
            space = true;
            continue;
        }
        if (space) {
            out.append(' ');
            space = false;
        }
        out.append(c);
    }
    return out;
}

} // namespace

SigV4Signer::SigV4Signer(SigV4Credentials credentials, QByteArray region, QByteArray service)
    : m_credentials(std::move(credentials))
    , m_region(std::move(region))
    , m_service(std::move(service)) {}

QByteArray SigV4Signer::uriEncode(QByteArrayView bytes, bool encodeSlash) {
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(bytes.size() * 3);
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '_' || c == '.' || c == '~';
        if (unreserved || (c == '/' && !encodeSlash)) {
            out.append(char(c));
        } else {
            out.append('%');
            out.append(hex[c >> 4]);
            out.append(hex[c & 0xF]);
        }
    }
    return out;
}

QByteArray SigV4Signer::hmacSha256(QByteArrayView key, QByteArrayView data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char *>(data.data()),
         size_t(data.size()), out, &len);
    return QByteArray(reinterpret_cast<const char *>(out), int(len));
}

QByteArray SigV4Signer::amzDate(const QDateTime &time) {
    return time.toTimeZone(QTimeZone::utc()).toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
}

QByteArray SigV4Signer::emptyPayloadHash() {
    return Sha256::hex(QByteArrayView());
}

QByteArray SigV4Signer::scope(const QDateTime &time) const {
    return amzDate(time).left(8) + '/' + m_region + '/' + m_service + "/aws4_request";
}

QByteArray SigV4Signer::canonicalRequest(const SigV4Request &request, const ByteHeaders &query,
                                         const ByteHeaders &headers, QByteArray *signedHeaders) const {
    QList<QPair<QByteArray, QByteArray>> encodedQuery;
    encodedQuery.reserve(query.size());
    for (const auto &[k, v] : query)
        encodedQuery.append({uriEncode(k), uriEncode(v)});
    std::sort(encodedQuery.begin(), encodedQuery.end());
    QByteArray canonicalQuery;
    for (const auto &[k, v] : encodedQuery) {
        if (!canonicalQuery.isEmpty())
            canonicalQuery.append('&');
        canonicalQuery.append(k + '=' + v);
    }

    // Repeated header names are joined with ',' in the order they appear (QMap keeps the names sorted).
    QMap<QByteArray, QByteArray> canonicalHeaders;
    for (const auto &[name, value] : headers) {
        const QByteArray lower = name.toLower().trimmed();
        auto it = canonicalHeaders.find(lower);
        if (it == canonicalHeaders.end())
            canonicalHeaders.insert(lower, trimAndCollapse(value));
        else
            it.value() += ',' + trimAndCollapse(value);
    }
    QByteArray headerBlock;
    signedHeaders->clear();
    for (auto it = canonicalHeaders.cbegin(); it != canonicalHeaders.cend(); ++it) {
        headerBlock += it.key() + ':' + it.value() + '\n';
        if (!signedHeaders->isEmpty())
            signedHeaders->append(';');
        signedHeaders->append(it.key());
    }

    const QByteArray path = request.path.isEmpty() ? QByteArray("/") : request.path;
    const QByteArray payload = request.payloadHash.isEmpty() ? emptyPayloadHash() : request.payloadHash;
    return request.method + '\n' + uriEncode(path, false) + '\n' + canonicalQuery + '\n' + headerBlock + '\n' +
           *signedHeaders + '\n' + payload;
}

QByteArray SigV4Signer::stringToSign(const QDateTime &time, const QByteArray &canonical) const {
    return "AWS4-HMAC-SHA256\n" + amzDate(time) + '\n' + scope(time) + '\n' + Sha256::hex(canonical);
}

QByteArray SigV4Signer::signature(const QDateTime &time, const QByteArray &toSign) const {
    QByteArray key = hmacSha256("AWS4" + m_credentials.secretAccessKey, amzDate(time).left(8));
    key = hmacSha256(key, m_region);
    key = hmacSha256(key, m_service);
    key = hmacSha256(key, "aws4_request");
    return hmacSha256(key, toSign).toHex();
}

SigV4Signer::Signed SigV4Signer::signHeaders(const SigV4Request &request, const QDateTime &time,
                                             bool addContentSha256) const {
    Signed out;
    const QByteArray payload = request.payloadHash.isEmpty() ? emptyPayloadHash() : request.payloadHash;
    out.addHeaders.append({"X-Amz-Date", amzDate(time)});
    if (addContentSha256)
        out.addHeaders.append({"X-Amz-Content-Sha256", payload});
    if (!m_credentials.sessionToken.isEmpty())
        out.addHeaders.append({"X-Amz-Security-Token", m_credentials.sessionToken});

    ByteHeaders headers = request.headers;
    headers += out.addHeaders;
    QByteArray signedHeaders;
    out.canonicalRequest = canonicalRequest(request, request.query, headers, &signedHeaders);
    out.stringToSign = stringToSign(time, out.canonicalRequest);
    out.signature = signature(time, out.stringToSign);
    out.addHeaders.append({"Authorization", "AWS4-HMAC-SHA256 Credential=" + m_credentials.accessKeyId + '/' +
                                                scope(time) + ", SignedHeaders=" + signedHeaders +
                                                ", Signature=" + out.signature});
    return out;
}

SigV4Signer::Signed SigV4Signer::presign(const SigV4Request &request, const QDateTime &time,
                                         qint64 expiresSeconds) const {
    Signed out;
    ByteHeaders query = request.query;
    query.append(qMakePair(QByteArray("X-Amz-Algorithm"), QByteArray("AWS4-HMAC-SHA256")));
    query.append({"X-Amz-Credential", m_credentials.accessKeyId + '/' + scope(time)});
    query.append({"X-Amz-Date", amzDate(time)});
    query.append(qMakePair(QByteArray("X-Amz-Expires"), QByteArray::number(expiresSeconds)));
    if (!m_credentials.sessionToken.isEmpty())
        query.append({"X-Amz-Security-Token", m_credentials.sessionToken});

    // Only Host is signed, so any plain HTTP client can use the URL.
    ByteHeaders hostOnly;
    for (const auto &h : request.headers)
        if (h.first.compare("host", Qt::CaseInsensitive) == 0)
            hostOnly.append(h);
    query.append(qMakePair(QByteArray("X-Amz-SignedHeaders"), QByteArray("host")));

    QByteArray signedHeaders;
    out.canonicalRequest = canonicalRequest(request, query, hostOnly, &signedHeaders);
    out.stringToSign = stringToSign(time, out.canonicalRequest);
    out.signature = signature(time, out.stringToSign);

    query.append(qMakePair(QByteArray("X-Amz-Signature"), out.signature));
    for (const auto &[k, v] : query) {
        if (!out.encodedQuery.isEmpty())
            out.encodedQuery.append('&');
        out.encodedQuery.append(uriEncode(k) + '=' + uriEncode(v));
    }
    return out;
}

} // namespace lifeboat
