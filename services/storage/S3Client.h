#pragma once

#include "core/ExitCode.h"
#include "storage/S3Call.h"
#include "storage/S3Config.h"
#include "storage/SigV4Signer.h"

#include <QDateTime>
#include <QMap>
#include <QObject>
#include <QSslConfiguration>

#include <optional>

class QNetworkAccessManager;
class QNetworkRequest;

namespace lifeboat {

class ByteSink;

// Asynchronous S3 client on QNetworkAccessManager: lives in one thread (the GUI thread for models, or the
// private network thread of S3Session) and never blocks. Each operation returns an S3Call (a child of the
// client) that emits finished(); the caller deletes it. Keys are full object keys (apply S3Config::keyFor
// yourself). Addressing is path-style or virtual-hosted per the config; https uses the system CAs plus
// S3Config::caFile; redirects are not followed (a signed request must not be replayed elsewhere).
class S3Client : public QObject {
    Q_OBJECT
public:
    explicit S3Client(S3Config config, QObject *parent = nullptr);
    ~S3Client() override;

    const S3Config &config() const { return m_config; }
    // Non-empty when the configuration is unusable (missing fields, unreadable CA file); every call then fails
    // with it.
    const Error &configError() const { return m_configError; }

    S3Call *listBuckets();
    // maxKeys 0 = the server's default (1000).
    S3Call *listObjects(const QString &prefix, const QString &delimiter = {}, const QString &continuationToken = {},
                        int maxKeys = 0);
    S3Call *headObject(const QString &key);
    // Streams the body into sink (not finished by the call: the caller decides). rangeEnd is inclusive, -1 = end.
    S3Call *getObject(const QString &key, ByteSink *sink, qint64 rangeStart = 0, qint64 rangeEnd = -1);
    // metadata: names without "x-amz-meta-" (stored lower-case). sha256Hex of data is computed when empty.
    // createOnly: "If-None-Match: *" — the server refuses (412) to replace an object that already exists, so two
    // writers can never overwrite one key.
    S3Call *putObject(const QString &key, const QByteArray &data, const QMap<QString, QString> &metadata = {},
                      const QByteArray &sha256Hex = {}, bool createOnly = false);
    S3Call *createMultipartUpload(const QString &key, const QMap<QString, QString> &metadata = {});
    S3Call *uploadPart(const QString &key, const QString &uploadId, int partNumber, const QByteArray &data,
                       const QByteArray &sha256Hex = {});
    S3Call *completeMultipartUpload(const QString &key, const QString &uploadId, const QList<S3Part> &parts,
                                    bool createOnly = false);
    // Best effort: servers without it (s3rver answers 405, some 501) are reported through logLine, not as an error.
    S3Call *abortMultipartUpload(const QString &key, const QString &uploadId);
    // One page of the bucket's unfinished multipart uploads whose keys start with prefix (markers: from the previous
    // page's nextKeyMarker/nextUploadIdMarker).
    S3Call *listMultipartUploads(const QString &prefix, const QString &keyMarker = {},
                                 const QString &uploadIdMarker = {});
    S3Call *deleteObject(const QString &key);
    // Server-side copy within the bucket with the REPLACE metadata directive (the way to set metadata on an object
    // that already exists, e.g. after a multipart upload). Objects up to 5 GiB.
    S3Call *copyObject(const QString &sourceKey, const QString &destKey, const QMap<QString, QString> &metadata);

    // A presigned GET URL (UNSIGNED-PAYLOAD, only Host signed) usable by any HTTP client until it expires.
    // expiresSeconds must be 1..604800 (7 days); otherwise nullopt and *error says so (ExitCode::Usage).
    std::optional<QUrl> presignGet(const QString &key, qint64 expiresSeconds, Error *error,
                                   const QDateTime &now = QDateTime::currentDateTimeUtc()) const;

    static constexpr qint64 kDefaultPresignSeconds = 900;
    static constexpr qint64 kMaxPresignSeconds = 604800;

signals:
    // Retries, best-effort failures and final errors, already redacted; for job logs.
    void logLine(const QString &line);

private:
    friend class S3Call;
    struct Target {
        QUrl url;
        QByteArray host; // Host header value (with a non-default port)
        QByteArray path; // decoded path that gets signed
    };
    Target target(const QString &key, bool serviceLevel, const ByteHeaders &query) const;
    S3Call *make(S3Call::Kind kind, S3Call::Spec spec);
    QNetworkAccessManager *nam() const { return m_nam; }
    // Applied to every request: timeouts, TLS, no redirects, no transparent decompression.
    void prepare(QNetworkRequest &request) const;
    const SigV4Signer &signer() const { return m_signer; }
    QString redact(const QString &text) const;
    void log(const QString &line);

    S3Config m_config;
    SigV4Signer m_signer;
    Error m_configError;
    QNetworkAccessManager *m_nam;
    std::optional<QSslConfiguration> m_ssl;
};

} // namespace lifeboat
