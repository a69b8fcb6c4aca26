#pragma once

#include "core/ExitCode.h"
#include "storage/S3Types.h"
#include "storage/SigV4Signer.h"

#include <QElapsedTimer>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace lifeboat {

class ByteSink;
class S3Client;

// One S3 operation in flight, with its retries. Created by S3Client (a child of it, living in its thread);
// emits finished() exactly once, then holds the outcome. The receiver deletes it (deleteLater) when done.
//
// Each attempt is signed afresh (new X-Amz-Date). An attempt is retried with exponential back-off and
// jitter on 5xx, 429, SlowDown/RequestTimeout/InternalError, transfer timeouts and connection failures
// (refused, reset, closed); after the last attempt the call fails cleanly with ExitCode::Transfer. A GET that
// streams into a sink and is interrupted resumes with a Range request from the first byte not yet written.
class S3Call : public QObject {
    Q_OBJECT
public:
    enum class Kind {
        ListBuckets,
        ListObjects,
        Head,
        Get,
        Put,
        CreateMultipart,
        UploadPart,
        CompleteMultipart,
        AbortMultipart,
        Delete,
        Copy,
        ListMultipartUploads
    };

    ~S3Call() override; // deleting an unfinished call aborts its request

    // The storage class named by the error of a GET refused because the object is archived (InvalidObjectState:
    // "… stored in GLACIER: request a restore first …"), else empty. For callers that show it their own way.
    static QString archivedStorageClass(const QString &errorMessage);

    Kind kind() const { return m_kind; }
    bool isFinished() const { return m_finished; }
    const Error &error() const { return m_error; }
    int httpStatus() const { return m_status; }
    QString s3ErrorCode() const { return m_s3Code; } // "NoSuchKey", ... when the server sent an <Error>
    int attempts() const { return m_attempt; }
    QByteArray body() const { return m_response; } // the response body (not for GET into a sink)
    QByteArray rawHeader(const QByteArray &name) const;

    const S3ListResult &listResult() const { return m_list; }
    const S3UploadList &uploadList() const { return m_uploads; } // ListMultipartUploads
    const QList<S3Bucket> &buckets() const { return m_buckets; }
    const S3ObjectInfo &objectInfo() const { return m_info; } // HEAD (size, etag, type, metadata)
    QString uploadId() const { return m_uploadId; }
    QString etag() const { return m_etag; }                // PUT/UploadPart/Complete, with quotes
    qint64 bytesReceived() const { return m_sinkWritten; } // GET into a sink
    qint64 bytesSent() const { return m_bytesSent; }       // request body bytes of the current attempt

    // Stops the call; finished() follows with ExitCode::Cancelled. No effect once finished.
    void cancel();

signals:
    void finished();
    void uploadProgress(qint64 sent, qint64 total);

private:
    friend class S3Client;
    struct Spec {
        QByteArray method;
        QString key; // object key ("" for bucket-level operations)
        bool serviceLevel = false;
        ByteHeaders query;
        ByteHeaders headers; // extra signed headers (x-amz-meta-*, Content-Type, ...)
        QByteArray body;
        QByteArray bodySha256; // hex; computed when empty and body non-empty
        ByteSink *sink = nullptr;
        qint64 rangeStart = 0;
        qint64 rangeEnd = -1; // inclusive; -1 = to the end
        QString what;         // "PUT part 3" for messages
    };

    S3Call(S3Client *client, Kind kind, Spec spec);
    void start();
    void startAttempt();
    void onReadyRead();
    void onReplyFinished();
    bool consume(const QByteArray &data);
    bool retryable(QNetworkReply::NetworkError netError, int status, const QString &code) const;
    void retryOrFail(const QString &why, ExitCode code = ExitCode::Transfer);
    void succeed();
    void fail(ExitCode code, const QString &message);
    void parseSuccess();
    QString target() const;

    S3Client *m_client;
    Kind m_kind;
    Spec m_spec;
    QPointer<QNetworkReply> m_reply;
    QTimer m_retryTimer;
    QElapsedTimer m_clock;
    int m_attempt = 0;
    bool m_finished = false;
    bool m_cancelled = false;
    bool m_statusChecked = false;
    bool m_sinkFailed = false;
    Error m_error;
    int m_status = 0;
    QString m_s3Code;
    QByteArray m_response;
    QList<QNetworkReply::RawHeaderPair> m_headers;
    qint64 m_sinkWritten = 0;
    qint64 m_attemptBytes = 0; // body bytes of the current attempt
    qint64 m_bytesSent = 0;
    S3ListResult m_list;
    S3UploadList m_uploads;
    QList<S3Bucket> m_buckets;
    S3ObjectInfo m_info;
    QString m_uploadId;
    QString m_etag;
};

} // namespace lifeboat
