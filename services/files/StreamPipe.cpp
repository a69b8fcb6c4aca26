#include "files/StreamPipe.h"

namespace lifeboat {

StreamPipe::StreamPipe(qsizetype capacityBytes)
    : m_capacity(capacityBytes) {}

bool StreamPipe::write(QByteArrayView data) {
    if (data.isEmpty())
        return true;
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [this] { return m_queued < m_capacity || m_readerClosed; });
    if (m_readerClosed)
        return fail(ExitCode::Integrity, QStringLiteral("the archive reader stopped"));
    m_queue.emplace_back(data.data(), data.size());
    m_queued += data.size();
    m_cv.notify_all();
    return true;
}

bool StreamPipe::finish() {
    std::lock_guard lock(m_mutex);
    m_eof = true;
    m_cv.notify_all();
    return true;
}

void StreamPipe::abort() {
    std::lock_guard lock(m_mutex);
    m_aborted = true;
    m_cv.notify_all();
}

QByteArray StreamPipe::take(bool *failed) {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [this] { return !m_queue.empty() || m_eof || m_aborted; });
    *failed = m_aborted;
    if (m_aborted || m_queue.empty())
        return {};
    QByteArray chunk = std::move(m_queue.front());
    m_queue.pop_front();
    m_queued -= chunk.size();
    m_cv.notify_all();
    return chunk;
}

void StreamPipe::closeReader() {
    std::lock_guard lock(m_mutex);
    m_readerClosed = true;
    m_queue.clear();
    m_queued = 0;
    m_cv.notify_all();
}

} // namespace lifeboat
