#pragma once

#include "jobs/Job.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>

class QThread;

namespace lifeboat {

// Runs jobs on worker threads: a FIFO queue, at most `concurrency` at once. The runner owns the jobs; a job is
// deleted after its finished() has been delivered. The destructor cancels everything and waits for the threads
// (the Tiled pattern: interruption, quit, wait), so no thread outlives the runner.
class JobRunner : public QObject {
    Q_OBJECT
public:
    explicit JobRunner(int concurrency = 2, QObject *parent = nullptr);
    ~JobRunner() override;

    // Takes ownership. Returns the job pointer for connecting signals before it starts.
    Job *submit(std::unique_ptr<Job> job);
    void cancelAll();
    int running() const { return static_cast<int>(m_running.size()); }
    int queued() const { return static_cast<int>(m_queue.size()); }
    void setConcurrency(int n);

signals:
    void jobStarted(lifeboat::Job *job);
    void jobFinished(lifeboat::Job *job, const lifeboat::JobResult &result);
    void idle();

private:
    void startNext();
    void onThreadDone(Job *job, QThread *thread);

    int m_concurrency;
    QList<Job *> m_queue;
    QList<Job *> m_running;
    QList<QThread *> m_threads;
};

} // namespace lifeboat
