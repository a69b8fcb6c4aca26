#include "models/JobListModel.h"

#include "jobs/JobRunner.h"
#include "jobs/StallWatch.h"
#include "models/BackupHistoryModel.h"
#include "models/Format.h"

#include <QColor>

namespace lifeboat {

JobListModel::JobListModel(JobRunner *runner, QObject *parent)
    : QAbstractTableModel(parent)
    , m_stallLimitMs(StallWatch::kDefaultLimitMs) {
    connect(runner, &JobRunner::jobStarted, this, &JobListModel::onStarted);
    connect(runner, &JobRunner::jobFinished, this, &JobListModel::onFinished);
}

void JobListModel::track(Job *job, const QString &profile) {
    if (rowOf(job) >= 0)
        return;
    Entry e;
    e.job = job;
    e.key = job;
    e.title = job->title();
    e.profile = profile;
    e.lastProgress = QDateTime::currentDateTimeUtc();
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.append(e);
    endInsertRows();
    // Queued connections: the job emits from its worker thread.
    connect(job, &Job::progress, this, [this, job](const JobProgress &p) {
        const int r = rowOf(job);
        if (r < 0)
            return;
        Entry &en = m_entries[r];
        // The StallWatch's rule: only a change of phase, bytes or items is progress.
        const bool moved =
            p.phase != en.progress.phase || p.bytes != en.progress.bytes || p.itemsDone != en.progress.itemsDone;
        en.progress = p;
        if (moved) {
            en.lastProgress = QDateTime::currentDateTimeUtc();
            en.stalled = false;
        }
        changed(r);
    });
    connect(job, &Job::logLine, this, [this, job](const QString &line) {
        const int r = rowOf(job);
        if (r < 0)
            return;
        m_entries[r].log.append(line);
        emit jobLogged(r, line);
    });
    emit activeCountChanged(activeCount());
}

int JobListModel::rowOf(const Job *job) const {
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).key == job && m_entries.at(i).state <= State::Running)
            return i;
    }
    return -1;
}

void JobListModel::changed(int row) {
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void JobListModel::onStarted(Job *job) {
    int r = rowOf(job);
    if (r < 0) { // submitted without track(): list it anyway
        track(job);
        r = rowOf(job);
    }
    Entry &e = m_entries[r];
    e.state = State::Running;
    e.started = QDateTime::currentDateTimeUtc();
    e.lastProgress = e.started;
    // Watched from the moment it runs: time in the queue is not a stall.
    e.watch = new StallWatch(job, m_stallLimitMs, m_stallCancel, this);
    connect(e.watch, &StallWatch::stallDetected, this, [this, job](const QString &message) {
        const int row = rowOf(job);
        if (row < 0)
            return;
        Entry &en = m_entries[row];
        en.stalled = true;
        en.log.append(tr("Stalled: %1").arg(message));
        changed(row);
        emit jobLogged(row, en.log.constLast());
        emit jobStalled(row, message);
    });
    changed(r);
}

void JobListModel::onFinished(Job *job, const JobResult &result) {
    const int r = rowOf(job);
    if (r < 0)
        return;
    Entry &e = m_entries[r];
    e.result = result;
    e.finished = QDateTime::currentDateTimeUtc();
    e.state = result.ok()                                ? State::Succeeded
              : result.error.code == ExitCode::Cancelled ? State::Cancelled
                                                         : State::Failed;
    if (!result.ok())
        e.log.append(tr("Ended: %1").arg(result.error.message));
    e.job = nullptr; // the runner deletes it next
    e.stalled = false;
    if (e.watch)
        e.watch->deleteLater();
    changed(r);
    emit jobEnded(r, result);
    emit activeCountChanged(activeCount());
}

void JobListModel::setStallPolicy(qint64 limitMs, bool cancel) {
    m_stallLimitMs = qMax<qint64>(1, limitMs);
    m_stallCancel = cancel;
}

bool JobListModel::isStalled(int row) const {
    return m_entries.value(row).stalled;
}

void JobListModel::setSchedule(const Job *job, const QString &schedule) {
    const int r = rowOf(job);
    if (r < 0)
        return;
    m_entries[r].schedule = schedule;
    changed(r);
}

bool JobListModel::isProfileBusy(const QString &profile) const {
    for (const Entry &e : m_entries) {
        if (e.profile == profile && e.state <= State::Running)
            return true;
    }
    return false;
}

int JobListModel::activeCount() const {
    int n = 0;
    for (const Entry &e : m_entries)
        n += e.state <= State::Running ? 1 : 0;
    return n;
}

bool JobListModel::cancel(int row) {
    if (row < 0 || row >= m_entries.size() || !m_entries.at(row).job)
        return false;
    m_entries[row].job->cancel(); // an atomic flag: safe while the job runs on its worker
    m_entries[row].log.append(tr("Cancel requested"));
    emit jobLogged(row, m_entries[row].log.constLast());
    return true;
}

JobListModel::State JobListModel::state(int row) const {
    return m_entries.value(row).state;
}

QString JobListModel::log(int row) const {
    return m_entries.value(row).log.join(QLatin1Char('\n'));
}

QString JobListModel::stateText(State s) {
    switch (s) {
    case State::Queued:
        return tr("Queued");
    case State::Running:
        return tr("Running");
    case State::Succeeded:
        return tr("Succeeded");
    case State::Failed:
        return tr("Failed");
    case State::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

int JobListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_entries.size());
}

int JobListModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_entries.at(index.row());
    const JobProgress &p = e.progress;
    int percent = -1;
    if (e.state == State::Succeeded)
        percent = 100;
    else if (p.itemsTotal > 0)
        percent = qBound(0, p.itemsDone * 100 / p.itemsTotal, 100);
    else if (p.bytesTotal > 0)
        percent = int(qBound(qint64(0), p.bytes * 100 / p.bytesTotal, qint64(100)));
    switch (role) {
    case ProgressRole:
        return percent;
    case StateRole:
        return int(e.state);
    case LogRole:
        return e.log.join(QLatin1Char('\n'));
    case ProfileRole:
        return e.profile;
    case ErrorRole:
        return e.result.error.message;
    case RecordIdRole:
        return e.result.recordId;
    case StalledRole:
        return e.stalled;
    case BackupHistoryModel::BadgeColorRole:
        // The status as a pill (BadgeDelegate), so a stalled job stands out in a long list.
        if (index.column() != StatusColumn)
            return {};
        if (e.stalled)
            return QColor(0xd9, 0x77, 0x06);
        switch (e.state) {
        case State::Succeeded:
            return QColor(0x2e, 0x8b, 0x57);
        case State::Failed:
            return QColor(0xc6, 0x28, 0x28);
        case State::Cancelled:
            return QColor(0x75, 0x75, 0x75);
        case State::Running:
            return QColor(0x2e, 0x7d, 0xd7);
        case State::Queued:
            return {};
        }
        return {};
    case ScheduleRole:
        return e.schedule;
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn && !e.result.error.message.isEmpty())
            return e.result.error.message;
        if (index.column() == StatusColumn && e.stalled)
            return tr("No progress for %1 (limit %2). The job may be waiting on a lock or a dead connection.")
                .arg(Format::seconds(e.lastProgress.secsTo(QDateTime::currentDateTimeUtc())),
                     Format::seconds(m_stallLimitMs / 1000));
        if (index.column() == TitleColumn && !e.schedule.isEmpty())
            return tr("Started by schedule “%1”").arg(e.schedule);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == BytesColumn || index.column() == RateColumn || index.column() == EtaColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        break;
    default:
        return {};
    }
    const bool live = e.state == State::Running;
    switch (index.column()) {
    case TitleColumn:
        return e.title;
    case PhaseColumn:
        if (!live)
            return e.state == State::Queued ? tr("waiting for a free worker") : QString();
        return p.currentItem.isEmpty() ? p.phase : tr("%1: %2").arg(p.phase, p.currentItem);
    case ProgressColumn:
        if (percent < 0)
            return live ? tr("working") : QString();
        if (p.itemsTotal > 0 && e.state != State::Succeeded)
            return tr("%1% (%2/%3)").arg(percent).arg(p.itemsDone).arg(p.itemsTotal);
        return tr("%1%").arg(percent);
    case BytesColumn:
        return p.bytes > 0 ? Format::size(p.bytes) : QString();
    case RateColumn:
        return live ? Format::rate(p.bytesPerSecond) : QString();
    case EtaColumn:
        return live && p.etaSeconds >= 0 ? Format::seconds(p.etaSeconds) : QString();
    case StatusColumn:
        if (e.stalled)
            return tr("Stalled — no progress for %1")
                .arg(Format::seconds(e.lastProgress.secsTo(QDateTime::currentDateTimeUtc())));
        return stateText(e.state);
    }
    return {};
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TitleColumn:
        return tr("Job");
    case PhaseColumn:
        return tr("Phase");
    case ProgressColumn:
        return tr("Progress");
    case BytesColumn:
        return tr("Bytes");
    case RateColumn:
        return tr("Rate");
    case EtaColumn:
        return tr("ETA");
    case StatusColumn:
        return tr("Status");
    }
    return {};
}

} // namespace lifeboat
