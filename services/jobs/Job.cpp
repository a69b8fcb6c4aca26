#include "jobs/Job.h"

namespace lifeboat {

Job::Job(QObject *parent)
    : QObject(parent) {
    qRegisterMetaType<lifeboat::JobProgress>();
    qRegisterMetaType<lifeboat::JobResult>();
}

JobResult Job::run() {
    m_clock.start();
    m_result = isCancelled() ? cancelledResult() : execute();
    emit finished(m_result);
    return m_result;
}

void Job::reportProgress(JobProgress p, bool force) {
    const qint64 now = m_clock.isValid() ? m_clock.elapsed() : 0;
    if (!force && now - m_lastEmitMs < 100)
        return;
    m_lastEmitMs = now;
    if (now > 0)
        p.bytesPerSecond = p.bytes * 1000.0 / double(now);
    if (p.etaSeconds < 0 && p.bytesTotal > 0 && p.bytes > 0 && p.bytesPerSecond > 0)
        p.etaSeconds = qint64(double(p.bytesTotal - p.bytes) / p.bytesPerSecond);
    emit progress(p);
}

} // namespace lifeboat
