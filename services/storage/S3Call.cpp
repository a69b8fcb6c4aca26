#include "storage/S3Call.h"

#include "pipeline/ByteSink.h"
#include "pipeline/Sha256.h"
#include "storage/S3Client.h"
#include "storage/S3Xml.h"

#include <QLocale>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>

namespace lifeboat {

Q_LOGGING_CATEGORY(lcS3Call, "lifeboat.s3.call", QtInfoMsg)

namespace {

constexpr qsizetype kMaxResponseBody = 64 * 1024 * 1024; // listings and XML answers; objects go to sinks
constexpr int kMaxBackoffMs = 20000;

bool isSignatureCode(const QString &code) {
    return code == QLatin1String("SignatureDoesNotMatch") || code == QLatin1String("InvalidAccessKeyId");
}

// RFC 7231 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the form S3 sends.
QDateTime httpDate(const QByteArray &value) {
    QDateTime t = QLocale::c().toDateTime(QString::fromLatin1(value.trimmed()),
                                          QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!t.isValid())
        return {};
    t.setTimeZone(QTimeZone::utc());
    return t;
}

} // namespace

S3Call::S3Call(S3Client *client, Kind kind, Spec spec)
    : QObject(client)
    , m_client(client)
    , m_kind(kind)
    , m_spec(std::move(spec)) {
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &S3Call::startAttempt);
    if (!m_spec.body.isEmpty() && m_spec.bodySha256.isEmpty())
        m_spec.bodySha256 = Sha256::hex(m_spec.body);
}

S3Call::~S3Call() {
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

QByteArray S3Call::rawHeader(const QByteArray &name) const {
    for (const auto &[k, v] : m_headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

QString S3Call::target() const {
    const QString bucket = m_client->config().bucket;
    if (m_spec.serviceLevel)
        return m_client->config().effectiveEndpoint().host();
    return m_spec.key.isEmpty() ? bucket : bucket + QLatin1Char('/') + m_spec.key;
}

void S3Call::start() {
    m_clock.start();
    if (m_client->configError()) {
        // Report asynchronously, like every other outcome, so callers can connect after the call returns.
        QTimer::singleShot(0, this, [this] { fail(m_client->configError().code, m_client->configError().message); });
        return;
    }
    QTimer::singleShot(0, this, &S3Call::startAttempt);
}

void S3Call::startAttempt() {
    if (m_finished)
        return;
    if (m_cancelled) {
        fail(ExitCode::Cancelled, QStringLiteral("S3 %1 %2 cancelled").arg(m_spec.what, target()));
        return;
    }
    ++m_attempt;
    m_status = 0;
    m_s3Code.clear();
    m_response.clear();
    m_headers.clear();
    m_statusChecked = false;
    m_bytesSent = 0;
    m_attemptBytes = 0;

    const S3Client::Target t = m_client->target(m_spec.key, m_spec.serviceLevel, m_spec.query);
    SigV4Request sreq;
    sreq.method = m_spec.method;
    sreq.path = t.path;
    sreq.query = m_spec.query;
    sreq.headers = m_spec.headers;
    sreq.headers.append({"Host", t.host});
    const qint64 from = m_spec.rangeStart + m_sinkWritten; // resume where the sink stopped
    const bool ranged = m_kind == Kind::Get && (from > 0 || m_spec.rangeEnd >= 0);
    if (ranged) {
        const QByteArray range = "bytes=" + QByteArray::number(from) + '-' +
                                 (m_spec.rangeEnd >= 0 ? QByteArray::number(m_spec.rangeEnd) : QByteArray());
        sreq.headers.append({"Range", range});
    }
    sreq.payloadHash = m_spec.body.isEmpty() ? SigV4Signer::emptyPayloadHash() : m_spec.bodySha256;
    const auto signedReq = m_client->signer().signHeaders(sreq, QDateTime::currentDateTimeUtc());

    QNetworkRequest req(t.url);
    m_client->prepare(req);
    for (const auto &[name, value] : sreq.headers) {
        if (name.compare("Host", Qt::CaseInsensitive) != 0)
            req.setRawHeader(name, value);
    }
    for (const auto &[name, value] : signedReq.addHeaders)
        req.setRawHeader(name, value);

    QNetworkAccessManager *nam = m_client->nam();
    QNetworkReply *reply = nullptr;
    if (m_spec.method == "GET")
        reply = nam->get(req);
    else if (m_spec.method == "HEAD")
        reply = nam->head(req);
    else if (m_spec.method == "PUT")
        reply = nam->put(req, m_spec.body);
    else if (m_spec.method == "POST")
        reply = nam->post(req, m_spec.body);
    else if (m_spec.method == "DELETE")
        reply = nam->deleteResource(req);
    else
        reply = nam->sendCustomRequest(req, m_spec.method, m_spec.body);
    m_reply = reply;
    if (m_kind == Kind::Get)
        // Bounded (QNAM stops reading the socket when full), yet large enough to keep up with curl at ~1 GB/s.
        reply->setReadBufferSize(16 * 1024 * 1024);
    connect(reply, &QNetworkReply::readyRead, this, &S3Call::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &S3Call::onReplyFinished);
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64 total) {
        m_bytesSent = sent;
        emit uploadProgress(sent, total);
    });
    qCDebug(lcS3Call).noquote() << m_spec.what << target() << "attempt" << m_attempt;
}

bool S3Call::consume(const QByteArray &data) {
    if (data.isEmpty())
        return true;
    if (!m_statusChecked) {
        m_statusChecked = true;
        m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (m_kind == Kind::Get && m_spec.sink && m_status / 100 == 2) {
            const qint64 from = m_spec.rangeStart + m_sinkWritten;
            if ((from > 0 || m_spec.rangeEnd >= 0) && m_status != 206) {
                m_sinkFailed = true;
                fail(ExitCode::Transfer, QStringLiteral("S3 GET %1: the server ignored the Range request (HTTP %2), "
                                                        "cannot resume")
                                             .arg(target())
                                             .arg(m_status));
                return false;
            }
        }
    }
    if (m_kind == Kind::Get && m_spec.sink && m_status / 100 == 2) {
        if (!m_spec.sink->write(data)) {
            m_sinkFailed = true;
            const Error e = m_spec.sink->error();
            fail(e.code == ExitCode::Ok ? ExitCode::Transfer : e.code,
                 e.message.isEmpty() ? QStringLiteral("writing the download of %1 failed").arg(target()) : e.message);
            return false;
        }
        m_sinkWritten += data.size();
        m_attemptBytes += data.size();
        return true;
    }
    if (m_response.size() + data.size() > kMaxResponseBody) {
        fail(
            ExitCode::Transfer,
            QStringLiteral("S3 %1 %2: response larger than %3 bytes").arg(m_spec.what, target()).arg(kMaxResponseBody));
        return false;
    }
    m_response += data;
    return true;
}

void S3Call::onReadyRead() {
    if (!m_reply || m_finished)
        return;
    if (!consume(m_reply->readAll()) && m_reply)
        m_reply->abort();
}

void S3Call::onReplyFinished() {
    QNetworkReply *reply = m_reply;
    if (!reply || sender() != reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    if (m_finished)
        return;
    if (m_cancelled) {
        fail(ExitCode::Cancelled, QStringLiteral("S3 %1 %2 cancelled").arg(m_spec.what, target()));
        return;
    }
    m_reply = reply; // consume() reads the status from it
    const bool ok = !reply->isOpen() || consume(reply->readAll());
    m_reply = nullptr;
    if (!ok || m_finished)
        return;

    const QNetworkReply::NetworkError netError = reply->error();
    m_status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_headers = reply->rawHeaderPairs();

    // A 2xx whose body broke off (reset, timeout mid-stream) is a network failure, not a success. QNAM does not
    // always flag a body cut short by a reset, so a streamed GET also checks Content-Length itself.
    const QVariant announced = reply->header(QNetworkRequest::ContentLengthHeader);
    if (m_kind == Kind::Get && m_spec.sink && m_status / 100 == 2 && netError == QNetworkReply::NoError &&
        announced.isValid() && m_attemptBytes < announced.toLongLong()) {
        retryOrFail(
            QStringLiteral("connection closed after %1 of %2 bytes").arg(m_attemptBytes).arg(announced.toLongLong()));
        return;
    }
    if (m_kind == Kind::Get && m_spec.sink && m_status == 200 && netError == QNetworkReply::NoError &&
        (m_spec.rangeStart + m_sinkWritten - m_attemptBytes > 0 || m_spec.rangeEnd >= 0)) {
        fail(ExitCode::Transfer,
             QStringLiteral("S3 GET %1: the server ignored the Range request (HTTP 200), cannot resume").arg(target()));
        return;
    }
    if (m_status == 0 || (netError != QNetworkReply::NoError && m_status / 100 == 2)) {
        const QString why =
            netError == QNetworkReply::OperationCanceledError
                ? QStringLiteral("no progress for %1 s (timeout)").arg(m_client->config().timeoutMs / 1000.0)
                : reply->errorString();
        if (retryable(netError, 0, {}))
            retryOrFail(why);
        else
            fail(ExitCode::Transfer, QStringLiteral("S3 %1 %2 failed: %3").arg(m_spec.what, target(), why));
        return;
    }

    const S3Xml::ErrorInfo xmlError = S3Xml::parseError(m_response);
    m_s3Code = xmlError.code;
    if (m_status / 100 == 2 && !xmlError.isError()) {
        succeed();
        return;
    }
    if (m_kind == Kind::AbortMultipart && (m_status == 405 || m_status == 501)) {
        // s3rver and some gateways lack AbortMultipartUpload; the parts then expire by bucket lifecycle.
        m_client->log(QStringLiteral("S3 AbortMultipartUpload %1 not supported by the server (HTTP %2); leaving "
                                     "the incomplete upload to the bucket's lifecycle rules")
                          .arg(target())
                          .arg(m_status));
        succeed();
        return;
    }

    QString why = QStringLiteral("HTTP %1").arg(m_status);
    if (xmlError.isError())
        why += QLatin1Char(' ') + xmlError.code +
               (xmlError.message.isEmpty() ? QString() : QStringLiteral(": ") + xmlError.message);
    else if (m_status / 100 == 3)
        why += QStringLiteral(" redirect to %1 — check the region and endpoint of the bucket")
                   .arg(QString::fromUtf8(reply->rawHeader("Location")).section(QLatin1Char('?'), 0, 0));
    if (isSignatureCode(xmlError.code)) {
        fail(ExitCode::Transfer, QStringLiteral("S3 %1 %2: signature does not match — check the access key and secret "
                                                "(%3)")
                                     .arg(m_spec.what, target(), xmlError.code));
        return;
    }
    if (xmlError.code == QLatin1String("InvalidObjectState")) {
        // GLACIER and DEEP_ARCHIVE objects can't be read until a restore request has made a temporary copy.
        const QString cls =
            xmlError.storageClass.isEmpty() ? QStringLiteral("GLACIER or DEEP_ARCHIVE") : xmlError.storageClass;
        fail(ExitCode::Transfer,
             QStringLiteral("S3 %1 %2: stored in %3: request a restore first — an object in an archive storage "
                            "class (GLACIER or DEEP_ARCHIVE) cannot be read until it is restored (aws s3api "
                            "restore-object --bucket B --key KEY --restore-request Days=7); wait for the restore to "
                            "finish (minutes to 48 hours), then try again")
                 .arg(m_spec.what, target(), cls));
        return;
    }
    if (m_status == 412 && std::any_of(m_spec.headers.cbegin(), m_spec.headers.cend(), [](const auto &h) {
            return h.first.compare("If-None-Match", Qt::CaseInsensitive) == 0;
        })) {
        fail(ExitCode::Transfer,
             QStringLiteral("S3 %1 %2: the key already holds an object, which was left as it is (conditional create, "
                            "If-None-Match: *) — another writer stored it first, or an earlier attempt of this request "
                            "succeeded without its answer arriving")
                 .arg(m_spec.what, target()));
        return;
    }
    if (m_status == 404 && !xmlError.isError()) // HEAD answers carry no body
        why += QStringLiteral(" Not Found — no such object");
    if (m_status == 403 && !xmlError.isError()) // HEAD answers carry no body to tell which
        why += QStringLiteral(" Forbidden — access denied, or the signature does not match — check the access key and "
                              "secret");
    if (retryable(netError, m_status, xmlError.code))
        retryOrFail(why);
    else
        fail(ExitCode::Transfer, QStringLiteral("S3 %1 %2 failed: %3").arg(m_spec.what, target(), why));
}

bool S3Call::retryable(QNetworkReply::NetworkError netError, int status, const QString &code) const {
    if (status >= 500 || status == 429)
        return true;
    if (code == QLatin1String("SlowDown") || code == QLatin1String("RequestTimeout") ||
        code == QLatin1String("InternalError") || code == QLatin1String("ServiceUnavailable"))
        return true;
    if (status != 0)
        return false;
    switch (netError) {
    case QNetworkReply::OperationCanceledError: // transfer timeout (a real cancel is handled before)
    case QNetworkReply::TimeoutError:
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::InternalServerError:
    case QNetworkReply::ServiceUnavailableError:
    case QNetworkReply::UnknownServerError:
        return true;
    default:
        return false;
    }
}

void S3Call::retryOrFail(const QString &why, ExitCode code) {
    const int maxAttempts = m_client->config().retries + 1;
    if (m_attempt >= maxAttempts) {
        fail(code, QStringLiteral("S3 %1 %2 failed after %3 attempt(s): %4")
                       .arg(m_spec.what, target())
                       .arg(m_attempt)
                       .arg(why));
        return;
    }
    // Exponential back-off with jitter (uniform in [cap/2, cap]) spreads retries of parallel parts apart.
    const qint64 cap =
        std::min<qint64>(kMaxBackoffMs, qint64(m_client->config().retryBaseDelayMs) << std::min(m_attempt, 16));
    const int delay = int(QRandomGenerator::global()->bounded(cap / 2, cap + 1));
    m_client->log(QStringLiteral("S3 %1 %2: %3; retry %4/%5 in %6 s")
                      .arg(m_spec.what, target(), why)
                      .arg(m_attempt)
                      .arg(maxAttempts - 1)
                      .arg(delay / 1000.0, 0, 'f', 1));
    m_retryTimer.start(delay);
}

void S3Call::parseSuccess() {
    switch (m_kind) {
    case Kind::ListBuckets:
        if (!S3Xml::parseBuckets(m_response, &m_buckets))
            fail(ExitCode::Transfer, QStringLiteral("S3 ListBuckets at %1: unreadable answer").arg(target()));
        break;
    case Kind::ListObjects:
        if (!S3Xml::parseList(m_response, &m_list))
            fail(ExitCode::Transfer, QStringLiteral("S3 ListObjectsV2 %1: unreadable answer").arg(target()));
        break;
    case Kind::ListMultipartUploads:
        if (!S3Xml::parseMultipartUploads(m_response, &m_uploads))
            fail(ExitCode::Transfer, QStringLiteral("S3 ListMultipartUploads %1: unreadable answer").arg(target()));
        break;
    case Kind::Head: {
        m_info.key = m_spec.key;
        m_info.size = rawHeader("Content-Length").toLongLong();
        m_info.etag = QString::fromUtf8(rawHeader("ETag")).remove(QLatin1Char('"'));
        m_info.contentType = QString::fromUtf8(rawHeader("Content-Type"));
        m_info.lastModified = httpDate(rawHeader("Last-Modified"));
        m_info.serverSideEncryption = QString::fromUtf8(rawHeader("x-amz-server-side-encryption"));
        if (!rawHeader("x-amz-server-side-encryption-customer-algorithm").isEmpty())
            m_info.serverSideEncryption = QStringLiteral("SSE-C");
        for (const auto &[name, value] : m_headers) {
            if (name.toLower().startsWith("x-amz-meta-"))
                m_info.metadata.insert(QString::fromUtf8(name.mid(11).toLower()), QString::fromUtf8(value));
        }
        break;
    }
    case Kind::CreateMultipart:
        m_uploadId = S3Xml::parseUploadId(m_response);
        if (m_uploadId.isEmpty())
            fail(ExitCode::Transfer,
                 QStringLiteral("S3 CreateMultipartUpload %1: no UploadId in the answer").arg(target()));
        break;
    case Kind::Put:
    case Kind::UploadPart:
        m_etag = QString::fromUtf8(rawHeader("ETag"));
        if (m_etag.isEmpty())
            fail(ExitCode::Transfer, QStringLiteral("S3 %1 %2: no ETag in the answer").arg(m_spec.what, target()));
        break;
    default:
        break;
    }
}

void S3Call::succeed() {
    parseSuccess();
    if (m_finished)
        return;
    m_finished = true;
    qCDebug(lcS3Call).noquote() << m_spec.what << target() << "HTTP" << m_status << m_clock.elapsed() << "ms";
    emit finished();
}

void S3Call::fail(ExitCode code, const QString &message) {
    if (m_finished)
        return;
    m_finished = true;
    m_retryTimer.stop();
    m_error = {code, m_client->redact(message)};
    // A HEAD that finds nothing is how callers ask "does it exist?"; not worth a log line.
    if (code != ExitCode::Cancelled && !(m_kind == Kind::Head && m_status == 404))
        m_client->log(m_error.message);
    if (m_reply) {
        QNetworkReply *r = m_reply;
        m_reply = nullptr;
        r->disconnect(this);
        r->abort();
        r->deleteLater();
    }
    emit finished();
}

void S3Call::cancel() {
    if (m_finished)
        return;
    m_cancelled = true;
    if (m_reply)
        m_reply->abort(); // onReplyFinished reports the cancel
    else
        fail(ExitCode::Cancelled, QStringLiteral("S3 %1 %2 cancelled").arg(m_spec.what, target()));
}

QString S3Call::archivedStorageClass(const QString &errorMessage) {
    static const QRegularExpression re(QStringLiteral("stored in ([A-Z_]+(?: or [A-Z_]+)?): request a restore first"));
    const QRegularExpressionMatch m = re.match(errorMessage);
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace lifeboat
