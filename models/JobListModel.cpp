#include "models/JobListModel.h"

#include "jobs/JobRunner.h"
#include "models/Format.h"

#include <QTimer>

namespace lifeboat {

JobListModel::JobListModel(JobRunner *runner, QObject *parent)
    : QAbstractTableModel(parent)
    , m_stallTimer(new QTimer(this)) {
    connect(runner, &JobRunner::jobStarted, this, &JobListModel::onStarted);
    connect(runner, &JobRunner::jobFinished, this, &JobListModel::onFinished);
    m_stallTimer->setInterval(5000);
    connect(m_stallTimer, &QTimer::timeout, this, &JobListModel::checkStalls);
    m_stallTimer->start();
}

void JobListModel::track(Job *job, const QString &profile) {
    if (rowOf(job) >= 0)
        return;
    Entry e;
    e.job = job;
    e.key = job;
    e.title = job->title();
    e.profile = profile;
    e.lastActivity = QDateTime::currentDateTimeUtc();
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
        en.progress = p;
        en.lastActivity = QDateTime::currentDateTimeUtc();
        en.stalled = false;
        changed(r);
    });
    connect(job, &Job::logLine, this, [this, job](const QString &line) {
        const int r = rowOf(job);
        if (r < 0)
            return;
        m_entries[r].log.append(line);
        m_entries[r].lastActivity = QDateTime::currentDateTimeUtc();
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
    m_entries[r].state = State::Running;
    m_entries[r].started = QDateTime::currentDateTimeUtc();
    m_entries[r].lastActivity = m_entries[r].started;
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
    changed(r);
    emit jobEnded(r, result);
    emit activeCountChanged(activeCount());
}

void JobListModel::checkStalls() {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < m_entries.size(); ++i) {
        Entry &e = m_entries[i];
        const bool stalled = e.state == State::Running && e.lastActivity.secsTo(now) >= m_stallSeconds;
        if (stalled != e.stalled) {
            e.stalled = stalled;
            changed(i);
        }
    }
}

void JobListModel::setStallSeconds(int seconds) {
    m_stallSeconds = qMax(1, seconds);
    m_stallTimer->setInterval(qBound(200, m_stallSeconds * 500, 5000));
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
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn && !e.result.error.message.isEmpty())
            return e.result.error.message;
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
                .arg(Format::seconds(e.lastActivity.secsTo(QDateTime::currentDateTimeUtc())));
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
