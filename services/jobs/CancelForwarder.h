#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

namespace lifeboat {

class Job;

// Forwards an outer job's cancel to the inner job it is running right now (a set's member). Job::cancel only sets a
// flag that each job polls itself, so without this an outer job notices its own flag only between members — after
// a restore that may take hours. A small watcher thread checks the outer flag every 100 ms while it lives.
class CancelForwarder {
public:
    explicit CancelForwarder(const Job *outer);
    ~CancelForwarder();
    CancelForwarder(const CancelForwarder &) = delete;
    CancelForwarder &operator=(const CancelForwarder &) = delete;

    // The inner job now running, or nullptr between members.
    void setRunning(Job *inner);

private:
    const Job *m_outer;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    Job *m_running = nullptr;
    bool m_stop = false;
    std::thread m_watcher;
};

} // namespace lifeboat
