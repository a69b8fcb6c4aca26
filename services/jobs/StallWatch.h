#pragma once

#include "jobs/Job.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace lifeboat {

// Watches one job for progress. "Progress" means the phase, the byte count or the item count changed — a job that
// keeps re-reporting the same numbers (pg_dump waiting on a lock, an upload hanging on a dead connection) is not
// progressing. After `limit` without progress stallDetected() fires once (again only after new progress and a new
// stall) and, when cancelOnStall is set, the job is cancelled. Lives in the thread that owns the JobRunner; the
// job's progress arrives as queued signals.
class StallWatch : public QObject {
    Q_OBJECT
public:
    StallWatch(Job *job, qint64 limitMs, bool cancelOnStall, QObject *parent = nullptr);

    bool hasStalled() const { return m_stalls > 0; }
    int stallCount() const { return m_stalls; }
    static constexpr qint64 kDefaultLimitMs = 10 * 60 * 1000; // 10 minutes

signals:
    void stallDetected(const QString &message);

private:
    void onProgress(const JobProgress &p);
    void check();

    QPointer<Job> m_job;
    qint64 m_limitMs;
    bool m_cancel;
    QTimer m_timer;
    QElapsedTimer m_sinceProgress;
    QString m_phase;
    qint64 m_bytes = -1;
    int m_items = -1;
    bool m_reported = false;
    int m_stalls = 0;
};

} // namespace lifeboat
