#include "jobs/CancelForwarder.h"

#include "jobs/Job.h"

#include <chrono>

namespace lifeboat {

CancelForwarder::CancelForwarder(const Job *outer)
    : m_outer(outer) {
    m_watcher = std::thread([this] {
        std::unique_lock lock(m_mutex);
        while (!m_stop) {
            m_cv.wait_for(lock, std::chrono::milliseconds(100));
            if (m_running && m_outer->isCancelled())
                m_running->cancel();
        }
    });
}

CancelForwarder::~CancelForwarder() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    m_watcher.join();
}

void CancelForwarder::setRunning(Job *inner) {
    std::lock_guard lock(m_mutex);
    m_running = inner;
    if (m_running && m_outer->isCancelled())
        m_running->cancel();
}

} // namespace lifeboat
