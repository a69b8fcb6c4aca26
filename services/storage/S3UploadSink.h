#pragma once

#include "pipeline/ByteSink.h"
#include "pipeline/Sha256.h"
#include "storage/S3Types.h"

#include <QByteArray>
#include <QMap>
#include <QString>

#include <atomic>
#include <memory>

namespace lifeboat {

class S3Session;

// The S3 end of the backup pipeline: a streaming multipart upload that runs while the producer (pg_dump) still
// writes. Bytes are cut into parts (default 16 MiB, grown so an expected size stays under 10,000 parts, never
// below S3's 5 MiB minimum) that are uploaded concurrently on the session's network thread, at most
// maxInFlight at once; write() blocks while that many are in flight (back-pressure), so memory stays at about
// (maxInFlight + 1) × partSize whatever the object size. A total smaller than one part goes up as a single PUT.
// finish() completes the upload and confirms the stored size with HEAD; on any failure the upload is aborted
// (best effort) and nothing is left under the key.
//
// x-amz-meta-sha256: the sink hashes what it stores. A single PUT carries it directly; a multipart object gets it
// by a server-side self-copy with the REPLACE directive after completion (no data passes through us again).
// S3 copies at most 5 GiB that way, so for larger objects the metadata is skipped with a log line and the
// manifest remains the record of the hash.
class S3UploadSink : public ByteSink {
public:
    struct Options {
        qint64 partSize = 16 * 1024 * 1024;
        int maxInFlight = 4;
        qint64 expectedSize = -1;        // hint; grows the part size so it fits in 10,000 parts
        QMap<QString, QString> metadata; // x-amz-meta-* names without the prefix
        bool sha256Metadata = true;      // store x-amz-meta-sha256 (see above)
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
    const S3ObjectInfo &objectInfo() const { return m_info; } // the HEAD after finish()

    static constexpr qint64 kMinPartSize = 5 * 1024 * 1024;
    static constexpr qint64 kMaxPartSize = 5LL * 1024 * 1024 * 1024;
    static constexpr int kMaxParts = 10000;
    // requested, raised to kMinPartSize and so that expectedSize (if known) needs fewer than kMaxParts parts.
    static qint64 choosePartSize(qint64 requested, qint64 expectedSize);

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
    Sha256 m_sha;
    QByteArray m_sha256Hex;
    QString m_uploadId;
    int m_partNumber = 0;
    qint64 m_written = 0;
    bool m_done = false;
    bool m_multipart = false;
    S3ObjectInfo m_info;
    std::shared_ptr<Shared> m_shared;
};

} // namespace lifeboat
