#pragma once

#include "jobs/JobProgress.h"

#include <QElapsedTimer>
#include <QObject>

#include <atomic>

namespace lifeboat {

// A unit of long work. run() executes on a JobRunner worker thread and may block there; progress, log lines and
// the result reach the GUI or CLI thread as queued signals. cancel() may be called from any thread: it only sets
// a flag that the job polls, then escalates (terminate, then kill) on the child processes it owns.
class Job : public QObject {
    Q_OBJECT
public:
    explicit Job(QObject *parent = nullptr);

    virtual QString title() const = 0;

    void cancel() { m_cancel.store(true); }
    bool isCancelled() const { return m_cancel.load(); }

    // Runs the job on the calling thread and emits finished(). Called by JobRunner.
    JobResult run();
    const JobResult &result() const { return m_result; }

signals:
    void progress(const lifeboat::JobProgress &progress);
    void logLine(const QString &line);
    void finished(const lifeboat::JobResult &result);

protected:
    virtual JobResult execute() = 0;

    void log(const QString &line) { emit logLine(line); }
    // For loops and child processes that poll for cancellation.
    const std::atomic_bool *cancelFlag() const { return &m_cancel; }
    qint64 elapsedMs() const { return m_clock.isValid() ? m_clock.elapsed() : 0; }
    // Emits progress at most ~10 times a second (forced emits always pass), computing rate and ETA.
    void reportProgress(JobProgress p, bool force = false);
    JobResult cancelledResult() const { return {{ExitCode::Cancelled, QStringLiteral("cancelled")}, 0, {}}; }

private:
    std::atomic_bool m_cancel{false};
    QElapsedTimer m_clock;
    qint64 m_lastEmitMs = -1000;
    JobResult m_result;
};

} // namespace lifeboat
