#include "models/ScheduleListModel.h"

#include "models/Async.h"
#include "models/Format.h"
#include "schedule/CronExpression.h"

#include <QTimeZone>

namespace lifeboat {

ScheduleListModel::ScheduleListModel(std::shared_ptr<Catalog> catalog, QObject *parent)
    : QAbstractTableModel(parent)
    , m_catalog(std::move(catalog)) {}

void ScheduleListModel::reload() {
    if (!m_catalog)
        return;
    const quint64 generation = ++m_generation;
    runAsync(
        this, [catalog = m_catalog] { return catalog->schedules(); },
        [this, generation](const QList<ScheduleRecord> &rows) {
            if (generation == m_generation) // an older answer never overwrites a newer one
                setSchedules(rows);
        },
        catalogPool());
}

void ScheduleListModel::setSchedules(const QList<ScheduleRecord> &schedules) {
    beginResetModel();
    m_rows = schedules;
    m_next.clear();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const ScheduleRecord &s : m_rows)
        m_next << nextRun(s, now);
    m_loaded = true;
    endResetModel();
    emit loaded();
}

void ScheduleListModel::setProfileStorages(const QHash<QString, QStringList> &storages) {
    m_profileStorages = storages;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, StoragesColumn), index(int(m_rows.size()) - 1, StoragesColumn));
}

int ScheduleListModel::rowOf(const QString &name) const {
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).name == name)
            return i;
    return -1;
}

namespace {
QTimeZone zoneOf(const ScheduleRecord &s) {
    return s.timeZone.isEmpty() ? QTimeZone::systemTimeZone() : QTimeZone(s.timeZone.toUtf8());
}
} // namespace

QDateTime ScheduleListModel::nextRun(const ScheduleRecord &s, const QDateTime &now) {
    if (!s.enabled)
        return {};
    const QTimeZone tz = zoneOf(s);
    if (!tz.isValid())
        return {};
    return CronExpression::parse(s.cron).nextFire(now, tz);
}

int ScheduleListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ScheduleListModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScheduleListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ScheduleRecord &s = m_rows.at(index.row());
    if (role == NameRole)
        return s.name;
    const QDateTime next = m_next.value(index.row());
    switch (index.column()) {
    case NameColumn:
        if (role == Qt::DisplayRole || role == RawRole)
            return s.name;
        break;
    case SourceColumn:
        if (role == Qt::DisplayRole || role == RawRole)
            return s.profile;
        if (role == Qt::ToolTipRole)
            return s.sourceKind == QLatin1String("base") ? tr("base backups of profile “%1”").arg(s.profile)
                                                         : tr("%1 source “%2”").arg(s.sourceKind, s.profile);
        break;
    case CronColumn:
        if (role == Qt::DisplayRole || role == RawRole)
            return s.cron;
        if (role == Qt::ToolTipRole && !s.timeZone.isEmpty())
            return tr("Times in %1").arg(s.timeZone);
        break;
    case DescriptionColumn: {
        const CronExpression cron = CronExpression::parse(s.cron);
        if (role == Qt::DisplayRole || role == RawRole)
            return cron.isValid() ? cron.describe() : tr("invalid: %1").arg(cron.error());
        break;
    }
    case NextRunColumn:
        if (role == RawRole)
            return next;
        if (role == Qt::DisplayRole)
            return !s.enabled ? tr("disabled") : next.isValid() ? Format::dateTimeIn(next, zoneOf(s)) : tr("never");
        if (role == Qt::ToolTipRole && next.isValid())
            return tr("in %1 (%2 on this computer)")
                .arg(Format::seconds(QDateTime::currentDateTimeUtc().secsTo(next)), Format::dateTime(next));
        break;
    case LastRunColumn:
        if (role == RawRole)
            return s.lastRun;
        if (role == Qt::DisplayRole) {
            if (!s.lastRun.isValid())
                return tr("never");
            const QString status = s.lastStatus.isEmpty() ? tr("unknown") : s.lastStatus.toLower();
            return s.lastBackupId > 0 ? tr("%1 — %2 (#%3)").arg(Format::dateTime(s.lastRun), status).arg(s.lastBackupId)
                                      : tr("%1 — %2").arg(Format::dateTime(s.lastRun), status);
        }
        break;
    case StoragesColumn:
        if (role == Qt::DisplayRole || role == RawRole) {
            if (!s.storages.isEmpty())
                return s.storages.join(QStringLiteral(", "));
            const QStringList defaults = m_profileStorages.value(s.profile);
            return defaults.isEmpty() ? tr("profile default")
                                      : tr("%1 (profile default)").arg(defaults.join(QStringLiteral(", ")));
        }
        break;
    case EnabledColumn:
        if (role == RawRole)
            return s.enabled;
        if (role == Qt::DisplayRole)
            return s.enabled ? tr("yes") : tr("no");
        break;
    default:
        break;
    }
    if (role == Qt::AccessibleTextRole && index.column() == NameColumn)
        return tr("Schedule %1").arg(s.name);
    return {};
}

QVariant ScheduleListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case SourceColumn:
        return tr("Source");
    case CronColumn:
        return tr("Cron");
    case DescriptionColumn:
        return tr("When");
    case NextRunColumn:
        return tr("Next run");
    case LastRunColumn:
        return tr("Last run");
    case StoragesColumn:
        return tr("Storages");
    case EnabledColumn:
        return tr("Enabled");
    default:
        return {};
    }
}

} // namespace lifeboat
