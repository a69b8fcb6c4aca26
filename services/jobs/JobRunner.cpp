#include "jobs/JobRunner.h"

#include <QThread>

namespace lifeboat {

JobRunner::JobRunner(int concurrency, QObject *parent)
    : QObject(parent)
    , m_concurrency(qMax(1, concurrency)) {}

JobRunner::~JobRunner() {
    qDeleteAll(m_queue);
    m_queue.clear();
    for (Job *j : std::as_const(m_running))
        j->cancel();
    for (QThread *t : std::as_const(m_threads)) {
        t->requestInterruption();
        t->wait();
        delete t;
    }
    qDeleteAll(m_running);
}

void JobRunner::setConcurrency(int n) {
    m_concurrency = qMax(1, n);
    startNext();
}

Job *JobRunner::submit(std::unique_ptr<Job> job) {
    Job *raw = job.release();
    raw->setParent(nullptr);
    m_queue.append(raw);
    // Start from the event loop so callers can connect to the job's signals first.
    QMetaObject::invokeMethod(this, &JobRunner::startNext, Qt::QueuedConnection);
    return raw;
}

void JobRunner::cancelAll() {
    for (Job *j : std::as_const(m_queue)) {
        j->cancel();
    }
    for (Job *j : std::as_const(m_running))
        j->cancel();
}

void JobRunner::startNext() {
    while (!m_queue.isEmpty() && m_running.size() < m_concurrency) {
        Job *job = m_queue.takeFirst();
        m_running.append(job);
        // The job hands itself back to the runner's thread when done, so it can be deleted here.
        QThread *thread = QThread::create([job, home = this->thread()] {
            job->run();
            job->moveToThread(home);
        });
        thread->setObjectName(QStringLiteral("job: ") + job->title());
        job->moveToThread(thread);
        m_threads.append(thread);
        connect(thread, &QThread::finished, this, [this, job, thread] { onThreadDone(job, thread); });
        emit jobStarted(job);
        thread->start();
    }
}

void JobRunner::onThreadDone(Job *job, QThread *thread) {
    m_threads.removeOne(thread);
    m_running.removeOne(job);
    thread->wait();
    delete thread;
    emit jobFinished(job, job->result());
    job->deleteLater();
    startNext();
    if (m_running.isEmpty() && m_queue.isEmpty())
        emit idle();
}

} // namespace lifeboat
