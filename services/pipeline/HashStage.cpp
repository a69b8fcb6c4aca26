#include "pipeline/HashStage.h"

#include <QByteArray>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace lifeboat {

// The OwnThread worker: the producer fills a buffer, hands it over whole, and takes an empty one back, so at most
// kBuffers × kBufferBytes are held and nothing is allocated per write once the buffers exist.
class HashStage::Hasher {
public:
    static constexpr qsizetype kBufferBytes = 1 << 20;
    static constexpr int kBuffers = 4;

    explicit Hasher(Sha256 *hash)
        : m_hash(hash) {
        m_fill.reserve(kBufferBytes);
        m_thread = std::thread([this] { run(); });
    }
    ~Hasher() { stop(); }

    void add(QByteArrayView data) {
        while (!data.isEmpty()) {
            const qsizetype take = std::min(data.size(), kBufferBytes - m_fill.size());
            m_fill.append(data.data(), take);
            data = data.sliced(take);
            if (m_fill.size() == kBufferBytes)
                handOver();
        }
    }
    // Hands over what is left and waits until every byte is hashed.
    void drain() {
        if (!m_fill.isEmpty())
            handOver();
        stop();
    }
    void stop() {
        {
            std::lock_guard lock(m_mutex);
            m_closed = true;
        }
        m_cv.notify_all();
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    void handOver() {
        std::unique_lock lock(m_mutex);
        // Back-pressure: wait for an empty buffer rather than grow without bound.
        m_cv.wait(lock, [this] { return m_full.size() < kBuffers; });
        m_full.push_back(std::move(m_fill));
        if (!m_empty.empty()) {
            m_fill = std::move(m_empty.back());
            m_empty.pop_back();
        } else {
            m_fill = QByteArray();
            m_fill.reserve(kBufferBytes);
        }
        lock.unlock();
        m_cv.notify_all();
    }
    void run() {
        std::unique_lock lock(m_mutex);
        while (true) {
            m_cv.wait(lock, [this] { return !m_full.empty() || m_closed; });
            if (m_full.empty())
                return; // closed and nothing left
            QByteArray buf = std::move(m_full.front());
            m_full.pop_front();
            lock.unlock();
            m_hash->add(buf);
            buf.resize(0); // keeps the capacity
            lock.lock();
            m_empty.push_back(std::move(buf));
            m_cv.notify_all();
        }
    }

    Sha256 *m_hash;
    QByteArray m_fill; // producer side only
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<QByteArray> m_full;
    std::vector<QByteArray> m_empty;
    bool m_closed = false;
    std::thread m_thread;
};

HashStage::HashStage(ByteSink *next, Threading threading)
    : m_next(next) {
    if (threading == Threading::OwnThread)
        m_hasher = std::make_unique<Hasher>(&m_hash);
}

HashStage::~HashStage() = default;

bool HashStage::write(QByteArrayView data) {
    if (m_hasher)
        m_hasher->add(data); // a copy: the caller may reuse its buffer as soon as write() returns
    else
        m_hash.add(data);
    m_bytes += data.size();
    if (m_next && !m_next->write(data))
        return failFrom(*m_next);
    return true;
}

bool HashStage::finish() {
    if (m_hasher) {
        m_hasher->drain();
        m_hasher.reset();
    }
    m_hex = m_hash.finalHex();
    if (m_next && !m_next->finish())
        return failFrom(*m_next);
    return true;
}

void HashStage::abort() {
    if (m_hasher) {
        m_hasher->stop(); // hashes what was handed over (at most a few MiB), then the thread ends
        m_hasher.reset();
    }
    if (m_next)
        m_next->abort();
}

} // namespace lifeboat
