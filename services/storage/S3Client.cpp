#include "storage/S3Client.h"

#include "pipeline/Sha256.h"
#include "storage/Redact.h"
#include "storage/S3Xml.h"

#include <QFile>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QSslCertificate>

namespace lifeboat {

Q_LOGGING_CATEGORY(lcS3Client, "lifeboat.s3")

namespace {

ByteHeaders metadataHeaders(const QMap<QString, QString> &metadata) {
    ByteHeaders h;
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
        h.append({"x-amz-meta-" + it.key().toLower().toUtf8(), it.value().toUtf8()});
    return h;
}

QPair<QByteArray, QByteArray> header(const char *name, QByteArray value) {
    return {QByteArray(name), std::move(value)};
}

} // namespace

S3Client::S3Client(S3Config config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_signer({m_config.accessKeyId.toUtf8(), m_config.secretAccessKey.toUtf8(), m_config.sessionToken.toUtf8()},
               m_config.region.toUtf8())
    , m_nam(new QNetworkAccessManager(this)) {
    m_configError = m_config.validate();
    if (!m_configError && !m_config.caFile.isEmpty()) {
        const QList<QSslCertificate> certs = QSslCertificate::fromPath(m_config.caFile, QSsl::Pem);
        if (certs.isEmpty()) {
            m_configError = {
                ExitCode::Usage,
                QStringLiteral("cannot load CA certificates from %1 (a PEM file is expected)").arg(m_config.caFile)};
        } else {
            QSslConfiguration ssl = QSslConfiguration::defaultConfiguration(); // system CAs...
            ssl.addCaCertificates(certs);                                      // ...plus the custom ones
            m_ssl = ssl;
        }
    }
    // Let S3's own answers (and our retry policy) decide; QNAM must not reuse a signed request for a redirect.
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

S3Client::~S3Client() = default;

QString S3Client::redact(const QString &text) const {
    return Redact::text(text, {m_config.secretAccessKey, m_config.sessionToken});
}

void S3Client::log(const QString &line) {
    const QString clean = redact(line);
    qCInfo(lcS3Client).noquote() << clean;
    emit logLine(clean);
}

void S3Client::prepare(QNetworkRequest &request) const {
    request.setTransferTimeout(m_config.timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    // Objects are stored bytes: no transparent gzip decoding that would change what we hash.
    request.setRawHeader("Accept-Encoding", "identity");
    if (m_ssl)
        request.setSslConfiguration(*m_ssl);
}

S3Client::Target S3Client::target(const QString &key, bool serviceLevel, const ByteHeaders &query) const {
    const QUrl ep = m_config.effectiveEndpoint();
    QByteArray base = ep.path(QUrl::FullyDecoded).toUtf8();
    while (base.endsWith('/'))
        base.chop(1);
    QByteArray host = ep.host(QUrl::FullyEncoded).toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']';
    const QByteArray bucket = m_config.bucket.toUtf8();
    QByteArray path = base;
    if (serviceLevel) {
        path += '/';
    } else if (m_config.pathStyle) {
        path += '/' + bucket;
        if (!key.isEmpty())
            path += '/' + key.toUtf8();
    } else {
        host = bucket + '.' + host;
        path += '/' + key.toUtf8();
    }
    const int defaultPort = ep.scheme() == QLatin1String("https") ? 443 : 80;
    const QByteArray hostHeader =
        ep.port() > 0 && ep.port() != defaultPort ? host + ':' + QByteArray::number(ep.port()) : host;

    QByteArray encoded = ep.scheme().toLatin1() + "://" + hostHeader + SigV4Signer::uriEncode(path, false);
    if (!query.isEmpty()) {
        encoded += '?';
        for (qsizetype i = 0; i < query.size(); ++i) {
            if (i)
                encoded += '&';
            encoded += SigV4Signer::uriEncode(query[i].first) + '=' + SigV4Signer::uriEncode(query[i].second);
        }
    }
    return {QUrl::fromEncoded(encoded, QUrl::StrictMode), hostHeader, path};
}

S3Call *S3Client::make(S3Call::Kind kind, S3Call::Spec spec) {
    auto *call = new S3Call(this, kind, std::move(spec));
    call->start();
    return call;
}

S3Call *S3Client::listBuckets() {
    S3Call::Spec s;
    s.method = "GET";
    s.serviceLevel = true;
    s.what = QStringLiteral("ListBuckets");
    return make(S3Call::Kind::ListBuckets, s);
}

S3Call *S3Client::listObjects(const QString &prefix, const QString &delimiter, const QString &token, int maxKeys) {
    S3Call::Spec s;
    s.method = "GET";
    s.query.append(header("list-type", "2"));
    if (!prefix.isEmpty())
        s.query.append(header("prefix", prefix.toUtf8()));
    if (!delimiter.isEmpty())
        s.query.append(header("delimiter", delimiter.toUtf8()));
    if (!token.isEmpty())
        s.query.append(header("continuation-token", token.toUtf8()));
    if (maxKeys > 0)
        s.query.append(header("max-keys", QByteArray::number(maxKeys)));
    s.what = QStringLiteral("ListObjectsV2");
    return make(S3Call::Kind::ListObjects, s);
}

S3Call *S3Client::headObject(const QString &key) {
    S3Call::Spec s;
    s.method = "HEAD";
    s.key = key;
    s.what = QStringLiteral("HEAD");
    return make(S3Call::Kind::Head, s);
}

S3Call *S3Client::getObject(const QString &key, ByteSink *sink, qint64 rangeStart, qint64 rangeEnd) {
    S3Call::Spec s;
    s.method = "GET";
    s.key = key;
    s.sink = sink;
    s.rangeStart = rangeStart;
    s.rangeEnd = rangeEnd;
    s.what = QStringLiteral("GET");
    return make(S3Call::Kind::Get, s);
}

S3Call *S3Client::putObject(const QString &key, const QByteArray &data, const QMap<QString, QString> &metadata,
                            const QByteArray &sha256Hex, bool createOnly) {
    S3Call::Spec s;
    s.method = "PUT";
    s.key = key;
    s.headers = metadataHeaders(metadata);
    if (createOnly)
        s.headers.append(header("If-None-Match", "*"));
    s.headers.append(header("Content-Type", "application/octet-stream"));
    if (const QString cls = m_config.storageClassFor(key); !cls.isEmpty())
        s.headers.append(header("x-amz-storage-class", cls.toUtf8())); // signed like every header
    s.body = data;
    s.bodySha256 = sha256Hex;
    s.what = QStringLiteral("PUT");
    return make(S3Call::Kind::Put, s);
}

S3Call *S3Client::createMultipartUpload(const QString &key, const QMap<QString, QString> &metadata) {
    S3Call::Spec s;
    s.method = "POST";
    s.key = key;
    s.query.append(header("uploads", ""));
    s.headers = metadataHeaders(metadata);
    s.headers.append(header("Content-Type", "application/octet-stream")); // the object's type, not the request's
    if (const QString cls = m_config.storageClassFor(key); !cls.isEmpty())
        s.headers.append(header("x-amz-storage-class", cls.toUtf8()));
    s.what = QStringLiteral("CreateMultipartUpload");
    return make(S3Call::Kind::CreateMultipart, s);
}

S3Call *S3Client::uploadPart(const QString &key, const QString &uploadId, int partNumber, const QByteArray &data,
                             const QByteArray &sha256Hex) {
    S3Call::Spec s;
    s.method = "PUT";
    s.key = key;
    s.query.append(header("partNumber", QByteArray::number(partNumber)));
    s.query.append(header("uploadId", uploadId.toUtf8()));
    s.headers.append(header("Content-Type", "application/octet-stream"));
    s.body = data;
    s.bodySha256 = sha256Hex;
    s.what = QStringLiteral("UploadPart %1").arg(partNumber);
    return make(S3Call::Kind::UploadPart, s);
}

S3Call *S3Client::completeMultipartUpload(const QString &key, const QString &uploadId, const QList<S3Part> &parts,
                                          bool createOnly) {
    S3Call::Spec s;
    s.method = "POST";
    s.key = key;
    s.query.append(header("uploadId", uploadId.toUtf8()));
    s.headers.append(header("Content-Type", "application/xml"));
    if (createOnly)
        s.headers.append(header("If-None-Match", "*"));
    s.body = S3Xml::completeMultipartBody(parts);
    s.what = QStringLiteral("CompleteMultipartUpload");
    return make(S3Call::Kind::CompleteMultipart, s);
}

S3Call *S3Client::abortMultipartUpload(const QString &key, const QString &uploadId) {
    S3Call::Spec s;
    s.method = "DELETE";
    s.key = key;
    s.query.append(header("uploadId", uploadId.toUtf8()));
    s.what = QStringLiteral("AbortMultipartUpload");
    return make(S3Call::Kind::AbortMultipart, s);
}

S3Call *S3Client::listMultipartUploads(const QString &prefix, const QString &keyMarker, const QString &uploadIdMarker) {
    S3Call::Spec s;
    s.method = "GET";
    s.query.append(header("uploads", ""));
    if (!prefix.isEmpty())
        s.query.append(header("prefix", prefix.toUtf8()));
    if (!keyMarker.isEmpty())
        s.query.append(header("key-marker", keyMarker.toUtf8()));
    if (!uploadIdMarker.isEmpty())
        s.query.append(header("upload-id-marker", uploadIdMarker.toUtf8()));
    s.what = QStringLiteral("ListMultipartUploads");
    return make(S3Call::Kind::ListMultipartUploads, s);
}

S3Call *S3Client::deleteObject(const QString &key) {
    S3Call::Spec s;
    s.method = "DELETE";
    s.key = key;
    s.what = QStringLiteral("DELETE");
    return make(S3Call::Kind::Delete, s);
}

S3Call *S3Client::copyObject(const QString &sourceKey, const QString &destKey, const QMap<QString, QString> &metadata) {
    S3Call::Spec s;
    s.method = "PUT";
    s.key = destKey;
    s.headers = metadataHeaders(metadata);
    s.headers.append(header("x-amz-copy-source",
                            SigV4Signer::uriEncode((m_config.bucket + QLatin1Char('/') + sourceKey).toUtf8(), false)));
    s.headers.append(header("x-amz-metadata-directive", "REPLACE"));
    s.headers.append(header("Content-Type", "application/octet-stream"));
    s.what = QStringLiteral("CopyObject");
    return make(S3Call::Kind::Copy, s);
}

std::optional<QUrl> S3Client::presignGet(const QString &key, qint64 expiresSeconds, Error *error,
                                         const QDateTime &now) const {
    if (m_configError) {
        *error = m_configError;
        return std::nullopt;
    }
    if (expiresSeconds < 1 || expiresSeconds > kMaxPresignSeconds) {
        *error = {ExitCode::Usage, QStringLiteral("a presigned URL can be valid for 1 to %1 seconds (7 days); %2 was "
                                                  "asked")
                                       .arg(kMaxPresignSeconds)
                                       .arg(expiresSeconds)};
        return std::nullopt;
    }
    const Target t = target(key, false, {});
    SigV4Request r;
    r.method = "GET";
    r.path = t.path;
    r.headers = {header("Host", t.host)};
    r.payloadHash = "UNSIGNED-PAYLOAD";
    const auto s = m_signer.presign(r, now, expiresSeconds);
    QByteArray encoded = t.url.toEncoded() + '?' + s.encodedQuery;
    *error = {};
    return QUrl::fromEncoded(encoded, QUrl::StrictMode);
}

} // namespace lifeboat
