#include "storage/S3Session.h"

#include "storage/S3Call.h"
#include "storage/S3Client.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <future>

namespace lifeboat {

S3Session::S3Session(S3Config config)
    : m_config(std::move(config))
    , m_logMutex(std::make_shared<std::mutex>())
    , m_logHandler(std::make_shared<std::function<void(const QString &)>>()) {
    m_thread.setObjectName(QStringLiteral("lifeboat-s3"));
    m_client = new S3Client(m_config);
    m_client->moveToThread(&m_thread);
    QObject::connect(
        m_client, &S3Client::logLine, m_client,
        [mutex = m_logMutex, handler = m_logHandler](const QString &line) {
            std::lock_guard lock(*mutex);
            if (*handler)
                (*handler)(line);
        },
        Qt::DirectConnection);
    m_thread.start();
}

S3Session::~S3Session() {
    cancelAll();
    // The client (and its QNAM) must die in its own thread.
    QMetaObject::invokeMethod(
        m_client, [client = m_client] { delete client; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

Error S3Session::configError() const {
    return m_client->configError();
}

bool S3Session::onGuiThread() {
    const QCoreApplication *app = QCoreApplication::instance();
    return app && QThread::currentThread() == app->thread() && app->inherits("QGuiApplication");
}

void S3Session::post(std::function<void()> fn) {
    QMetaObject::invokeMethod(m_client, std::move(fn), Qt::QueuedConnection);
}

void S3Session::startAsync(Starter start, std::function<void(S3Call *)> done) {
    post([client = m_client, start = std::move(start), done = std::move(done)] {
        S3Call *call = start(client);
        QObject::connect(call, &S3Call::finished, call, [call, done] {
            done(call);
            call->deleteLater();
        });
    });
}

Error S3Session::run(Starter start, const std::function<void(S3Call *)> &inspect) {
    if (onGuiThread()) {
        qCritical("lifeboat: blocking S3Session call on the GUI thread refused; use S3Client");
        return {ExitCode::Usage, QStringLiteral("internal error: a blocking S3 call was made on the GUI thread")};
    }
    if (QThread::currentThread() == &m_thread)
        return {ExitCode::Usage, QStringLiteral("internal error: a blocking S3 call was made on the S3 thread")};
    auto promise = std::make_shared<std::promise<Error>>();
    std::future<Error> result = promise->get_future();
    startAsync(std::move(start), [promise, inspect](S3Call *call) {
        if (inspect)
            inspect(call);
        promise->set_value(call->error());
    });
    return result.get();
}

void S3Session::setLogHandler(std::function<void(const QString &)> handler) {
    std::lock_guard lock(*m_logMutex);
    *m_logHandler = std::move(handler);
}

void S3Session::cancelAll() {
    post([client = m_client] {
        for (S3Call *call : client->findChildren<S3Call *>(Qt::FindDirectChildrenOnly))
            call->cancel();
    });
}

Error S3Session::listBuckets(QList<S3Bucket> *out) {
    return run([](S3Client *c) { return c->listBuckets(); }, [out](S3Call *call) { *out = call->buckets(); });
}

Error S3Session::listObjects(const QString &prefix, const QString &delimiter, const QString &token, int maxKeys,
                             S3ListResult *out) {
    return run([=](S3Client *c) { return c->listObjects(prefix, delimiter, token, maxKeys); },
               [out](S3Call *call) { *out = call->listResult(); });
}

Error S3Session::listAll(const QString &prefix, const QString &delimiter, S3ListResult *out, int maxKeysPerPage) {
    QString token;
    do {
        S3ListResult page;
        if (Error e = listObjects(prefix, delimiter, token, maxKeysPerPage, &page))
            return e;
        out->objects += page.objects;
        out->commonPrefixes += page.commonPrefixes;
        if (page.truncated && page.nextContinuationToken.isEmpty())
            return {ExitCode::Transfer,
                    QStringLiteral("S3 listing of %1 is truncated but has no continuation token").arg(prefix)};
        token = page.truncated ? page.nextContinuationToken : QString();
    } while (!token.isEmpty());
    out->truncated = false;
    out->nextContinuationToken.clear();
    return {};
}

Error S3Session::headObject(const QString &key, S3ObjectInfo *out, int *httpStatus) {
    return run([=](S3Client *c) { return c->headObject(key); },
               [out, httpStatus](S3Call *call) {
                   if (out)
                       *out = call->objectInfo();
                   if (httpStatus)
                       *httpStatus = call->httpStatus();
               });
}

Error S3Session::getObject(const QString &key, ByteSink *sink, qint64 rangeStart, qint64 rangeEnd, qint64 *bytes) {
    return run([=](S3Client *c) { return c->getObject(key, sink, rangeStart, rangeEnd); },
               [bytes](S3Call *call) {
                   if (bytes)
                       *bytes = call->bytesReceived();
               });
}

Error S3Session::putObject(const QString &key, const QByteArray &data, const QMap<QString, QString> &metadata,
                           bool createOnly) {
    return run([=](S3Client *c) { return c->putObject(key, data, metadata, {}, createOnly); });
}

Error S3Session::deleteObject(const QString &key) {
    return run([=](S3Client *c) { return c->deleteObject(key); });
}

Error S3Session::listMultipartUploads(const QString &prefix, QList<S3MultipartUpload> *out) {
    QString keyMarker;
    QString uploadIdMarker;
    for (;;) {
        S3UploadList page;
        if (Error e = run([=](S3Client *c) { return c->listMultipartUploads(prefix, keyMarker, uploadIdMarker); },
                          [&page](S3Call *call) { page = call->uploadList(); }))
            return e;
        *out += page.uploads;
        if (!page.truncated)
            return {};
        if (page.nextKeyMarker.isEmpty() ||
            (page.nextKeyMarker == keyMarker && page.nextUploadIdMarker == uploadIdMarker))
            return {ExitCode::Transfer, QStringLiteral("S3 listing of the multipart uploads under %1 is truncated but "
                                                       "does not say where to go on")
                                            .arg(prefix)};
        keyMarker = page.nextKeyMarker;
        uploadIdMarker = page.nextUploadIdMarker;
    }
}

Error S3Session::abortMultipartUpload(const QString &key, const QString &uploadId) {
    int status = 0;
    Error e = run([=](S3Client *c) { return c->abortMultipartUpload(key, uploadId); },
                  [&status](S3Call *call) { status = call->httpStatus(); });
    if (!e && (status == 405 || status == 501))
        e = {ExitCode::Transfer,
             QStringLiteral("the server does not support AbortMultipartUpload (HTTP %1)").arg(status)};
    return e;
}

Error S3Session::copyObject(const QString &sourceKey, const QString &destKey, const QMap<QString, QString> &metadata) {
    return run([=](S3Client *c) { return c->copyObject(sourceKey, destKey, metadata); });
}

std::optional<QUrl> S3Session::presignGet(const QString &key, qint64 expiresSeconds, Error *error) const {
    return m_client->presignGet(key, expiresSeconds, error); // const and immutable state: safe from any thread
}

} // namespace lifeboat
