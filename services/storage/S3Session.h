#pragma once

#include "core/ExitCode.h"
#include "storage/S3Config.h"
#include "storage/S3Types.h"

#include <QThread>
#include <QUrl>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace lifeboat {

class ByteSink;
class S3Call;
class S3Client;

// Blocking S3 for worker threads and the CLI's main thread. The session owns a private network thread running
// an S3Client (with its own QNetworkAccessManager); each blocking call posts the operation there and waits for
// the result, so no event loop is spun in the caller's thread. Refuses (ExitCode::Usage) to block on a GUI
// thread: GUI code uses S3Client directly. Thread-safe: several threads may call one session.
class S3Session {
public:
    explicit S3Session(S3Config config);
    ~S3Session();
    S3Session(const S3Session &) = delete;
    S3Session &operator=(const S3Session &) = delete;

    const S3Config &config() const { return m_config; }
    Error configError() const;

    Error listBuckets(QList<S3Bucket> *out);
    Error listObjects(const QString &prefix, const QString &delimiter, const QString &continuationToken, int maxKeys,
                      S3ListResult *out);
    // Follows continuation tokens to the end, appending every page to *out.
    Error listAll(const QString &prefix, const QString &delimiter, S3ListResult *out, int maxKeysPerPage = 0);
    // *httpStatus (optional) lets callers tell "not found" (404) from other failures.
    Error headObject(const QString &key, S3ObjectInfo *out, int *httpStatus = nullptr);
    // Streams into sink (the sink's write() runs on the network thread while this call blocks; finish() is left
    // to the caller). Resumes from rangeStart; rangeEnd inclusive, -1 = to the end.
    Error getObject(const QString &key, ByteSink *sink, qint64 rangeStart = 0, qint64 rangeEnd = -1,
                    qint64 *bytesReceived = nullptr);
    // createOnly: refused (412, exit 2) when the key already holds an object (S3Client::putObject).
    Error putObject(const QString &key, const QByteArray &data, const QMap<QString, QString> &metadata = {},
                    bool createOnly = false);
    Error deleteObject(const QString &key);
    // Every unfinished multipart upload whose key starts with prefix (all pages).
    Error listMultipartUploads(const QString &prefix, QList<S3MultipartUpload> *out);
    // Unlike S3Client's best effort, a server that lacks AbortMultipartUpload (405/501) is an error here: the
    // caller wants to know the upload is gone.
    Error abortMultipartUpload(const QString &key, const QString &uploadId);
    Error copyObject(const QString &sourceKey, const QString &destKey, const QMap<QString, QString> &metadata);
    // Pure computation, no network; default 900 s, at most 604800 s (7 days).
    std::optional<QUrl> presignGet(const QString &key, qint64 expiresSeconds, Error *error) const;

    // Building blocks for pipelines (S3UploadSink): start runs on the network thread and returns the call;
    // done runs there when it finished; the session deletes the call afterwards.
    using Starter = std::function<S3Call *(S3Client *)>;
    void startAsync(Starter start, std::function<void(S3Call *)> done);
    // Blocking form: inspect (optional) reads the finished call on the network thread; returns its error.
    Error run(Starter start, const std::function<void(S3Call *)> &inspect = {});
    // Runs fn on the network thread (queued) without waiting.
    void post(std::function<void()> fn);

    // Receives redacted log lines (retries, best-effort failures); called on the network thread.
    void setLogHandler(std::function<void(const QString &)> handler);
    // Cancels every call in flight (they finish with ExitCode::Cancelled). Thread-safe.
    void cancelAll();

    static bool onGuiThread();

private:
    S3Config m_config;
    QThread m_thread;
    S3Client *m_client = nullptr;
    std::shared_ptr<std::mutex> m_logMutex;
    std::shared_ptr<std::function<void(const QString &)>> m_logHandler;
};

} // namespace lifeboat
