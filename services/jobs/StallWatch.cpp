#include "jobs/StallWatch.h"

#include <algorithm>

namespace lifeboat {

StallWatch::StallWatch(Job *job, qint64 limitMs, bool cancelOnStall, QObject *parent)
    : QObject(parent)
    , m_job(job)
    , m_limitMs(std::max<qint64>(1, limitMs))
    , m_cancel(cancelOnStall) {
    m_sinceProgress.start();
    connect(job, &Job::progress, this, &StallWatch::onProgress);
    connect(&m_timer, &QTimer::timeout, this, &StallWatch::check);
    // Check often enough that a stall is seen within ~10% of the limit, without waking every millisecond.
    m_timer.start(int(std::clamp<qint64>(m_limitMs / 10, 10, 5000)));
}

void StallWatch::onProgress(const JobProgress &p) {
    if (p.phase == m_phase && p.bytes == m_bytes && p.itemsDone == m_items)
        return;
    m_phase = p.phase;
    m_bytes = p.bytes;
    m_items = p.itemsDone;
    m_sinceProgress.restart();
    m_reported = false;
}

void StallWatch::check() {
    if (!m_job) {
        m_timer.stop();
        return;
    }
    const qint64 quiet = m_sinceProgress.elapsed();
    if (m_reported || quiet < m_limitMs)
        return;
    m_reported = true;
    ++m_stalls;
    const QString what = m_job->title();
    const QString phase = m_phase.isEmpty() ? QString() : QStringLiteral(" (last phase: %1)").arg(m_phase);
    QString message = QStringLiteral("%1: no progress for %2 s%3").arg(what).arg(quiet / 1000.0, 0, 'f', 1).arg(phase);
    if (m_cancel) {
        message += QStringLiteral("; cancelling it");
        m_job->cancel();
    }
    emit stallDetected(message);
}

} // namespace lifeboat
