#pragma once

#include "pipeline/ByteSink.h"

#include <QByteArray>

#include <condition_variable>
#include <deque>
#include <mutex>

namespace lifeboat {

// Joins the push-style pipeline to a pull-style reader on another thread: the restore source writes plaintext
// into this sink while libarchive, on its own thread, pulls it through take(). A bounded queue applies
// back-pressure, so a 200 GB archive needs only a few MiB of memory and no temporary copy on disk.
class StreamPipe : public ByteSink {
public:
    explicit StreamPipe(qsizetype capacityBytes = 8 << 20);

    // Writer side (ByteSink): blocks while the queue is full; fails once the reader has closed.
    bool write(QByteArrayView data) override;
    bool finish() override; // end of stream
    void abort() override;  // the reader's take() fails

    // Reader side: the next chunk; empty at the end of the stream. *failed is set when the writer aborted.
    QByteArray take(bool *failed);
    // The reader stops early (error or done): pending and future writes fail instead of blocking forever.
    void closeReader();

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<QByteArray> m_queue;
    qsizetype m_queued = 0;
    qsizetype m_capacity;
    bool m_eof = false;
    bool m_aborted = false;
    bool m_readerClosed = false;
};

} // namespace lifeboat
