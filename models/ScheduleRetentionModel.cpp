#include "models/ScheduleRetentionModel.h"

#include "models/Format.h"

#include <QColor>

namespace lifeboat {

ScheduleRetentionModel::ScheduleRetentionModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void ScheduleRetentionModel::setEntries(const QList<RetentionPruner::Entry> &entries) {
    beginResetModel();
    m_entries = entries;
    // Newest first, as everywhere else in the app.
    std::stable_sort(m_entries.begin(), m_entries.end(),
                     [](const RetentionPruner::Entry &a, const RetentionPruner::Entry &b) {
                         return a.record.started > b.record.started;
                     });
    endResetModel();
}

int ScheduleRetentionModel::keepCount() const {
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(),
                             [](const RetentionPruner::Entry &e) { return e.decision.keep(); }));
}

int ScheduleRetentionModel::expireCount() const {
    return int(m_entries.size()) - keepCount();
}

int ScheduleRetentionModel::rowOf(qint64 id) const {
    for (int i = 0; i < m_entries.size(); ++i)
        if (m_entries.at(i).record.id == id)
            return i;
    return -1;
}

int ScheduleRetentionModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ScheduleRetentionModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScheduleRetentionModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RetentionPruner::Entry &e = m_entries.at(index.row());
    const bool keep = e.decision.keep();
    if (role == KeepRole)
        return keep;
    if (role == Qt::ForegroundRole && index.column() == ActionColumn)
        return keep ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28);
    switch (index.column()) {
    case IdColumn:
        if (role == RawRole)
            return e.record.id;
        if (role == Qt::DisplayRole)
            return QStringLiteral("#%1").arg(e.record.id);
        break;
    case StartedColumn:
        if (role == RawRole)
            return e.record.started;
        if (role == Qt::DisplayRole)
            return Format::dateTime(e.record.started);
        break;
    case TypeColumn:
        if (role == Qt::DisplayRole || role == RawRole)
            return e.record.label.isEmpty() ? e.record.type : tr("%1 “%2”").arg(e.record.type, e.record.label);
        break;
    case StatusColumn:
        if (role == Qt::DisplayRole || role == RawRole)
            return e.record.status;
        break;
    case ActionColumn:
        if (role == RawRole)
            return keep;
        if (role == Qt::DisplayRole) {
            if (e.outcome == QLatin1String("deleted"))
                return tr("Deleted");
            if (e.outcome.startsWith(QLatin1String("expired,")))
                return tr("Deletion failed");
            return keep ? tr("Keep") : tr("Delete");
        }
        break;
    case ReasonColumn:
        if (role == Qt::DisplayRole || role == RawRole || role == Qt::ToolTipRole) {
            QStringList parts = e.decision.reasons;
            parts << e.notes;
            return parts.join(QStringLiteral("; "));
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant ScheduleRetentionModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Backup");
    case StartedColumn:
        return tr("Started");
    case TypeColumn:
        return tr("Type");
    case StatusColumn:
        return tr("Status");
    case ActionColumn:
        return tr("Decision");
    case ReasonColumn:
        return tr("Why");
    default:
        return {};
    }
}

} // namespace lifeboat
