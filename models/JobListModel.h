#pragma once

#include "jobs/Job.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QPointer>
#include <QStringList>

namespace lifeboat {

class JobRunner;
class StallWatch;

// Every job of this session: queued, running (live phase, progress, bytes, rate, ETA) and finished (outcome and
// the full log, kept after the Job object is gone). Each running job is watched by a StallWatch (the same rule as
// the CLI: progress means the phase, bytes or item count changed; log lines alone are not progress): with none for
// the stall limit it is marked Stalled, jobStalled() fires and, when configured, it is cancelled. Signals arrive
// queued from the workers; the model only ever touches a Job to cancel it.
class JobListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TitleColumn,
        PhaseColumn,
        ProgressColumn,
        BytesColumn,
        RateColumn,
        EtaColumn,
        StatusColumn,
        ColumnCount
    };
    enum Role {
        // Above BackupHistoryModel's roles, so its BadgeColorRole (read by BadgeDelegate) means the same here.
        ProgressRole = Qt::UserRole + 16, // int 0..100, -1 when unknown (busy indicator)
        StateRole,                        // int State
        LogRole,                          // QString: the whole log
        ProfileRole,
        ErrorRole,
        RecordIdRole,
        StalledRole,  // bool: running and without progress for the stall limit
        ScheduleRole, // QString: the schedule that started it (empty: started by hand)
    };
    enum class State { Queued, Running, Succeeded, Failed, Cancelled };
    Q_ENUM(State)

    explicit JobListModel(JobRunner *runner, QObject *parent = nullptr);

    // Call right after JobRunner::submit() so the job is listed while still queued.
    void track(Job *job, const QString &profile = {});

    bool isProfileBusy(const QString &profile) const;
    int activeCount() const;
    bool cancel(int row);
    State state(int row) const;
    QString log(int row) const;
    // No progress for `limitMs` marks a running job Stalled (default 10 minutes, setting stallMinutes); with
    // `cancel` it is also cancelled (setting stallCancel). Applies to jobs tracked from now on.
    void setStallPolicy(qint64 limitMs, bool cancel);
    void setStallSeconds(int seconds) { setStallPolicy(qint64(qMax(1, seconds)) * 1000, m_stallCancel); }
    qint64 stallLimitMs() const { return m_stallLimitMs; }
    bool stallCancels() const { return m_stallCancel; }
    bool isStalled(int row) const;
    // Marks a tracked job as started by a schedule (shown in its title's tooltip; the tray runner notifies for it).
    void setSchedule(const Job *job, const QString &schedule);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString stateText(State s);

signals:
    void activeCountChanged(int active);
    void jobLogged(int row, const QString &line);
    void jobEnded(int row, const lifeboat::JobResult &result);
    // A running job made no progress for the stall limit; `message` says which and for how long (no secrets).
    void jobStalled(int row, const QString &message);

private:
    struct Entry {
        QPointer<Job> job;
        const Job *key = nullptr;
        QString title;
        QString profile;
        State state = State::Queued;
        JobProgress progress;
        QDateTime started;
        QDateTime finished;
        QDateTime lastProgress;
        QStringList log;
        JobResult result;
        QString schedule;
        bool stalled = false;
        QPointer<StallWatch> watch;
    };
    int rowOf(const Job *job) const;
    void changed(int row);
    void onStarted(Job *job);
    void onFinished(Job *job, const JobResult &result);

    QList<Entry> m_entries;
    qint64 m_stallLimitMs;
    bool m_stallCancel = false;
};

} // namespace lifeboat
