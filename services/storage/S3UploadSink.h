#pragma once

#include "pipeline/ByteSink.h"
#include "storage/S3Types.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <memory>

namespace lifeboat {

class S3Session;

// The S3 end of the backup pipeline: a streaming multipart upload that runs while the producer (pg_dump) still
// writes. Bytes are cut into parts (default 16 MiB, grown so an expected size stays under 10,000 parts, never
// below S3's 5 MiB minimum) that are uploaded concurrently on the session's network thread, at most
// maxInFlight at once; write() blocks while that many are in flight (back-pressure), so memory stays at about
// (maxInFlight + 1) × partSize whatever the object size. A total smaller than one part goes up as a single PUT.
// finish() completes the upload and confirms with HEAD what the server stored: the size, and the ETag against the
// MD5s of what was sent (single PUT: MD5 of the body; multipart: MD5 of the parts' MD5s plus "-N", or the whole
// body's MD5 as some S3-compatible servers compute it). An ETag that is no MD5 by design (SSE-KMS, SSE-C) is not
// compared. On any failure the upload is aborted (best effort) and nothing of ours is left under the key.
//
// Conditional create (Options::createOnly, the default): PutObject and CompleteMultipartUpload carry
// "If-None-Match: *", so an object that already exists under the key is never replaced — two writers of one key
// cannot overwrite each other; the second one fails.
//
// x-amz-meta-sha256: the sink hashes what it stores. A single PUT carries it directly. A multipart upload starts
// before the hash is known, and setting metadata afterwards takes a server-side self-copy, which leaves a second
// version on a versioned or Object-Locked bucket — so a multipart object has no such metadata; its manifest is the
// record of the hash.
class S3UploadSink : public ByteSink {
public:
    struct Options {
        qint64 partSize = 16 * 1024 * 1024;
        int maxInFlight = 4;
        qint64 expectedSize = -1;        // hint; grows the part size so it fits in 10,000 parts
        QMap<QString, QString> metadata; // x-amz-meta-* names without the prefix
        bool sha256Metadata = true;      // store x-amz-meta-sha256 on a single PUT (see above)
        bool createOnly = true;          // If-None-Match: * (see above); false only to replace an object on purpose
    };

    S3UploadSink(S3Session *session, QString key, Options options);
    S3UploadSink(S3Session *session, QString key);
    ~S3UploadSink() override; // aborts an unfinished upload

    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;

    QString key() const { return m_key; }
    qint64 bytesWritten() const { return m_written; } // accepted from the producer
    qint64 bytesUploaded() const;                     // confirmed by the server; thread-safe, for progress
    qint64 partSize() const { return m_partSize; }
    int partCount() const { return m_partNumber; } // parts started so far (0 for a single PUT)
    bool usedMultipart() const { return m_multipart; }
    QByteArray sha256Hex() const { return m_sha256Hex; }      // of the stored bytes, after finish()
    QString md5Hex() const { return m_md5Hex; }               // of the whole body, after finish()
    const S3ObjectInfo &objectInfo() const { return m_info; } // the HEAD after finish()

    static constexpr qint64 kMinPartSize = 5 * 1024 * 1024;
    static constexpr qint64 kMaxPartSize = 5LL * 1024 * 1024 * 1024;
    static constexpr int kMaxParts = 10000;
    // requested, raised to kMinPartSize and so that expectedSize (if known) needs fewer than kMaxParts parts.
    static qint64 choosePartSize(qint64 requested, qint64 expectedSize);
    // The ETag S3 gives a multipart object: hex MD5 of the concatenated binary MD5s of the parts, "-", part count.
    static QString multipartEtag(const QList<QByteArray> &partMd5s);

private:
    struct Shared;
    bool startMultipart();
    bool dispatchPart();
    bool waitForSlots(int maxBusy);
    bool failAndAbort(const Error &error);
    QMap<QString, QString> finalMetadata() const;

    S3Session *m_session;
    QString m_key;
    Options m_options;
    qint64 m_partSize;
    QByteArray m_buffer;
    QByteArray m_sha256Hex;
    QList<QByteArray> m_partMd5s; // binary MD5 of each part, in order, after finish()
    QString m_md5Hex;
    QString m_uploadId;
    int m_partNumber = 0;
    qint64 m_written = 0;
    bool m_done = false;
    bool m_multipart = false;
    S3ObjectInfo m_info;
    std::shared_ptr<Shared> m_shared;
    QThreadPool m_hasher; // last: destroyed (waiting for its task) before the members a task could still reach
};

} // namespace lifeboat
