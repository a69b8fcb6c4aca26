#pragma once

#include "jobs/Job.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QPointer>
#include <QStringList>

class QTimer;

namespace lifeboat {

class JobRunner;

// Every job of this session: queued, running (live phase, progress, bytes, rate, ETA) and finished (outcome and
// the full log, kept after the Job object is gone). A running job with no progress for `stallSeconds` is marked
// stalled. Signals arrive queued from the workers; the model only ever touches a Job to cancel it.
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
        ProgressRole = Qt::UserRole, // int 0..100, -1 when unknown (busy indicator)
        StateRole,                   // int State
        LogRole,                     // QString: the whole log
        ProfileRole,
        ErrorRole,
        RecordIdRole,
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
    void setStallSeconds(int seconds);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString stateText(State s);

signals:
    void activeCountChanged(int active);
    void jobLogged(int row, const QString &line);
    void jobEnded(int row, const lifeboat::JobResult &result);

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
        QDateTime lastActivity;
        QStringList log;
        JobResult result;
        bool stalled = false;
    };
    int rowOf(const Job *job) const;
    void changed(int row);
    void onStarted(Job *job);
    void onFinished(Job *job, const JobResult &result);
    void checkStalls();

    QList<Entry> m_entries;
    QTimer *m_stallTimer;
    int m_stallSeconds = 120;
};

} // namespace lifeboat
