#include "storage/S3UploadSink.h"

#include "pipeline/Sha256.h"
#include "storage/S3Call.h"
#include "storage/S3Client.h"
#include "storage/S3Session.h"

#include <QCryptographicHash>
#include <QLoggingCategory>
#include <QPointer>

#include <condition_variable>
#include <mutex>

namespace lifeboat {

Q_LOGGING_CATEGORY(lcS3Upload, "lifeboat.s3.upload", QtInfoMsg)

// State shared with the hashing thread and with the completion callbacks on the session's network thread.
struct S3UploadSink::Shared {
    std::mutex mutex;
    std::condition_variable cv;
    int inFlight = 0; // parts queued for hashing or uploading
    bool aborted = false;
    Error error;
    QMap<int, QString> etags;
    QMap<int, QByteArray> partMd5s; // binary MD5 of each part, by part number
    std::atomic<qint64> uploaded{0};
    QList<QPointer<S3Call>> calls; // network thread only
    // The whole object's hashes, fed part by part in order on the hashing thread; read by finish() once no part is
    // in flight (the mutex-guarded count orders the two threads).
    Sha256 sha;
    QCryptographicHash md5{QCryptographicHash::Md5};

    void partDone() {
        std::lock_guard lock(mutex);
        --inFlight;
        cv.notify_all();
    }
};

S3UploadSink::S3UploadSink(S3Session *session, QString key)
    : S3UploadSink(session, std::move(key), Options()) {}

S3UploadSink::S3UploadSink(S3Session *session, QString key, Options options)
    : m_session(session)
    , m_key(std::move(key))
    , m_options(std::move(options))
    , m_partSize(choosePartSize(m_options.partSize, m_options.expectedSize))
    , m_shared(std::make_shared<Shared>()) {
    if (m_options.maxInFlight < 1)
        m_options.maxInFlight = 1;
    m_hasher.setMaxThreadCount(1); // one thread: parts are hashed in the order they were cut
}

S3UploadSink::~S3UploadSink() {
    if (!m_done)
        abort();
}

qint64 S3UploadSink::choosePartSize(qint64 requested, qint64 expectedSize) {
    qint64 size = std::max(requested, kMinPartSize);
    if (expectedSize > 0) {
        // Leave headroom (9,000 parts) for a dump that grows past its estimate.
        const qint64 needed = (expectedSize + 8999) / 9000;
        if (needed > size)
            size = (needed + 1024 * 1024 - 1) / (1024 * 1024) * (1024 * 1024);
    }
    return std::min(size, kMaxPartSize);
}

qint64 S3UploadSink::bytesUploaded() const {
    return m_shared->uploaded.load();
}

QMap<QString, QString> S3UploadSink::finalMetadata() const {
    QMap<QString, QString> m = m_options.metadata;
    if (m_options.sha256Metadata && !m_sha256Hex.isEmpty())
        m.insert(QStringLiteral("sha256"), QString::fromLatin1(m_sha256Hex));
    return m;
}

bool S3UploadSink::failAndAbort(const Error &error) {
    fail(error.code == ExitCode::Ok ? ExitCode::Transfer : error.code, error.message);
    abort();
    return false;
}

bool S3UploadSink::write(QByteArrayView data) {
    if (error() || m_done)
        return error() ? false
                       : fail(ExitCode::Transfer, QStringLiteral("S3 upload of %1 already finished").arg(m_key));
    while (!data.isEmpty()) {
        if (m_buffer.capacity() < m_partSize)
            m_buffer.reserve(m_partSize);
        const qsizetype take = std::min<qsizetype>(data.size(), m_partSize - m_buffer.size());
        m_buffer.append(data.data(), take);
        data = data.sliced(take);
        m_written += take;
        if (m_buffer.size() >= m_partSize && !dispatchPart())
            return false;
    }
    return true;
}

bool S3UploadSink::startMultipart() {
    QString uploadId;
    const QString key = m_key;
    const QMap<QString, QString> metadata = m_options.metadata;
    const Error e = m_session->run([=](S3Client *c) { return c->createMultipartUpload(key, metadata); },
                                   [&uploadId](S3Call *call) { uploadId = call->uploadId(); });
    if (e)
        return failAndAbort(e);
    m_uploadId = uploadId;
    m_multipart = true;
    qCDebug(lcS3Upload).noquote() << "multipart upload of" << m_key << "part size" << m_partSize;
    return true;
}

bool S3UploadSink::waitForSlots(int maxBusy) {
    std::unique_lock lock(m_shared->mutex);
    m_shared->cv.wait(lock, [&] { return m_shared->inFlight <= maxBusy || m_shared->error; });
    if (m_shared->error) {
        const Error e = m_shared->error;
        lock.unlock();
        return failAndAbort(e);
    }
    return true;
}

bool S3UploadSink::dispatchPart() {
    if (m_uploadId.isEmpty() && !startMultipart())
        return false;
    if (m_partNumber >= kMaxParts) {
        return failAndAbort(
            {ExitCode::Transfer,
             QStringLiteral("S3 upload of %1 needs more than %2 parts of %3 MiB; give a larger expected "
                            "size or part size")
                 .arg(m_key)
                 .arg(kMaxParts)
                 .arg(m_partSize / (1024 * 1024))});
    }
    if (!waitForSlots(m_options.maxInFlight - 1)) // back-pressure: block the producer here
        return false;

    // The part's hashes (SigV4 payload SHA-256, MD5 for the ETag check) and the whole object's run on the hashing
    // thread, so the producer's thread only cuts parts: at 0.7 GB/s for MD5 they cost seconds per GB of CPU
    // (docs/performance.md, issue 17). In flight counts a part from here, so memory stays bounded as before.
    const QByteArray part = std::move(m_buffer);
    m_buffer = QByteArray();
    const int number = ++m_partNumber;
    {
        std::lock_guard lock(m_shared->mutex);
        ++m_shared->inFlight;
    }
    const QString key = m_key, uploadId = m_uploadId;
    m_hasher.start([shared = m_shared, session = m_session, key, uploadId, number, part] {
        bool stop;
        {
            std::lock_guard lock(shared->mutex);
            stop = shared->aborted || bool(shared->error);
        }
        if (stop) // the upload failed or was aborted: this part is not sent
            return shared->partDone();
        shared->sha.add(part);
        shared->md5.addData(part);
        const QByteArray partMd5 = QCryptographicHash::hash(part, QCryptographicHash::Md5);
        const QByteArray partSha = Sha256::hex(part);
        {
            std::lock_guard lock(shared->mutex);
            shared->partMd5s.insert(number, partMd5);
        }
        const qint64 size = part.size();
        session->startAsync(
            [=](S3Client *c) {
                S3Call *call = c->uploadPart(key, uploadId, number, part, partSha);
                shared->calls.append(call);
                bool aborted;
                {
                    std::lock_guard lock(shared->mutex);
                    aborted = shared->aborted;
                }
                if (aborted) // abort()'s cancel ran before this call existed; queued, so done() is connected first
                    QMetaObject::invokeMethod(call, &S3Call::cancel, Qt::QueuedConnection);
                return call;
            },
            [shared, number, size](S3Call *call) {
                shared->calls.removeAll(call);
                {
                    std::lock_guard lock(shared->mutex);
                    if (call->error()) {
                        if (!shared->error)
                            shared->error = call->error();
                    } else {
                        shared->etags.insert(number, call->etag());
                        shared->uploaded += size;
                    }
                }
                shared->partDone();
            });
    });

    // Without a size hint, double the part size every 1,000 parts so even a huge stream fits in 10,000 parts.
    if (m_partNumber % 1000 == 0 && (m_options.expectedSize < 0 || m_written > m_options.expectedSize))
        m_partSize = std::min(m_partSize * 2, kMaxPartSize);
    return true;
}

bool S3UploadSink::finish() {
    if (error())
        return false;
    if (m_done)
        return true;
    const QString key = m_key;
    if (m_uploadId.isEmpty()) {
        // Smaller than one part: a single PUT carries the data and its SHA-256 metadata at once.
        const QByteArray data = std::move(m_buffer);
        m_buffer = QByteArray();
        m_shared->sha.add(data); // no part was cut, so the hashing thread never ran
        m_shared->md5.addData(data);
        m_sha256Hex = m_shared->sha.finalHex();
        const QMap<QString, QString> metadata = finalMetadata();
        const QByteArray sha = m_sha256Hex;
        const bool createOnly = m_options.createOnly;
        if (Error e = m_session->run([=](S3Client *c) { return c->putObject(key, data, metadata, sha, createOnly); }))
            return failAndAbort(e);
        m_shared->uploaded += data.size();
    } else {
        if (!m_buffer.isEmpty() && !dispatchPart())
            return false;
        if (!waitForSlots(0))
            return false;
        // Its last task may still be returning from startAsync(): join it, so nothing of this sink touches the
        // session once finish() has returned.
        m_hasher.waitForDone();
        m_sha256Hex = m_shared->sha.finalHex();
        QList<S3Part> parts;
        {
            std::lock_guard lock(m_shared->mutex);
            m_partMd5s = m_shared->partMd5s.values();
            for (auto it = m_shared->etags.cbegin(); it != m_shared->etags.cend(); ++it)
                parts.append({it.key(), it.value()});
        }
        if (parts.size() != m_partNumber)
            return failAndAbort({ExitCode::Transfer, QStringLiteral("S3 upload of %1: %2 of %3 parts confirmed")
                                                         .arg(m_key)
                                                         .arg(parts.size())
                                                         .arg(m_partNumber)});
        const QString uploadId = m_uploadId;
        const bool createOnly = m_options.createOnly;
        if (Error e = m_session->run(
                [=](S3Client *c) { return c->completeMultipartUpload(key, uploadId, parts, createOnly); }))
            return failAndAbort(e);
        m_uploadId.clear(); // completed: nothing left to abort
    }

    // Confirm what the server stored before anyone records the backup as complete.
    S3ObjectInfo info;
    if (Error e = m_session->headObject(key, &info)) {
        m_done = true;
        return fail(e.code, e.message);
    }
    m_info = info;
    m_done = true;
    if (info.size != m_written) {
        m_session->deleteObject(key);
        return fail(ExitCode::Transfer, QStringLiteral("S3 upload of %1: the server stored %2 bytes, %3 were sent; the "
                                                       "object was deleted")
                                            .arg(m_key)
                                            .arg(info.size)
                                            .arg(m_written));
    }
    const QString wholeMd5 = m_md5Hex = QString::fromLatin1(m_shared->md5.result().toHex());
    const QString etag = info.etag.toLower();
    const bool encryptedEtag = info.serverSideEncryption.startsWith(QLatin1String("aws:kms")) ||
                               info.serverSideEncryption == QLatin1String("SSE-C");
    if (encryptedEtag) {
        qCInfo(lcS3Upload).noquote() << "object" << m_key << "is stored with" << info.serverSideEncryption
                                     << "— its ETag is no MD5, so only the size was compared";
    } else if (etag != wholeMd5 && (!m_multipart || etag != multipartEtag(m_partMd5s))) {
        m_session->deleteObject(key);
        return fail(ExitCode::Transfer,
                    QStringLiteral("S3 upload of %1: the stored object's ETag %2 does not match what was sent (%3); "
                                   "the object was deleted")
                        .arg(m_key, info.etag, m_multipart ? multipartEtag(m_partMd5s) : wholeMd5));
    }
    return true;
}

QString S3UploadSink::multipartEtag(const QList<QByteArray> &partMd5s) {
    QCryptographicHash md5(QCryptographicHash::Md5);
    for (const QByteArray &p : partMd5s)
        md5.addData(p);
    return QString::fromLatin1(md5.result().toHex()) + QLatin1Char('-') + QString::number(partMd5s.size());
}

void S3UploadSink::abort() {
    if (m_done)
        return;
    m_done = true;
    m_buffer = QByteArray();
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->aborted = true; // parts still queued for hashing are dropped, not uploaded
    }
    auto shared = m_shared;
    m_session->post([shared] {
        const QList<QPointer<S3Call>> calls = shared->calls; // cancel() finishes calls, which edits the list
        for (const QPointer<S3Call> &call : calls)
            if (call)
                call->cancel();
    });
    {
        std::unique_lock lock(m_shared->mutex);
        m_shared->cv.wait(lock, [&] { return m_shared->inFlight == 0; });
    }
    m_hasher.waitForDone(); // as in finish()
    if (!m_uploadId.isEmpty()) {
        const QString key = m_key, uploadId = m_uploadId;
        m_uploadId.clear();
        // Best effort: S3Client logs (and tolerates) servers that lack AbortMultipartUpload.
        m_session->run([=](S3Client *c) { return c->abortMultipartUpload(key, uploadId); });
    }
}

} // namespace lifeboat
