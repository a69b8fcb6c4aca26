#include "RestorePlanModel.h"

using lifeboat::RestorePlan;
using lifeboat::TocEntry;

RestorePlanModel::RestorePlanModel(QObject *parent)
    : QAbstractItemModel(parent) {}

void RestorePlanModel::setPlan(const RestorePlan &plan) {
    beginResetModel();
    m_plan = plan;
    const auto n = m_plan.entries().size();
    m_top.clear();
    m_children = QVector<QVector<int>>(n);
    m_row = QVector<int>(n, 0);
    m_checked = QVector<bool>(n, true);
    for (int i = 0; i < n; ++i) {
        // Only one level: a child's parent is a top-level entry (a table or materialized view).
        const int p = parentEntry(i);
        if (p >= 0) {
            m_row[i] = int(m_children[p].size());
            m_children[p].append(i);
        } else {
            m_row[i] = int(m_top.size());
            m_top.append(i);
        }
    }
    endResetModel();
}

QModelIndex RestorePlanModel::index(int row, int column, const QModelIndex &parent) const {
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid()) {
        if (row >= m_top.size())
            return {};
        return createIndex(row, column, quintptr(m_top.at(row)) + 1);
    }
    if (parent.column() != 0)
        return {};
    const int p = int(parent.internalId()) - 1;
    if (p < 0 || p >= m_children.size() || row >= m_children.at(p).size())
        return {};
    return createIndex(row, column, quintptr(m_children.at(p).at(row)) + 1);
}

QModelIndex RestorePlanModel::parent(const QModelIndex &child) const {
    if (!child.isValid())
        return {};
    const int p = parentEntry(int(child.internalId()) - 1);
    if (p < 0)
        return {};
    return createIndex(m_row.at(p), 0, quintptr(p) + 1);
}

int RestorePlanModel::rowCount(const QModelIndex &parent) const {
    if (!parent.isValid())
        return int(m_top.size());
    if (parent.column() != 0)
        return 0;
    const int e = int(parent.internalId()) - 1;
    return int(m_children.value(e).size());
}

int RestorePlanModel::columnCount(const QModelIndex &) const {
    return ColumnCount;
}

Qt::CheckState RestorePlanModel::checkState(int entry) const {
    const QVector<int> &kids = m_children.at(entry);
    if (kids.isEmpty())
        return m_checked.at(entry) ? Qt::Checked : Qt::Unchecked;
    int on = m_checked.at(entry) ? 1 : 0;
    for (int k : kids)
        on += m_checked.at(k) ? 1 : 0;
    if (on == 0)
        return Qt::Unchecked;
    return on == kids.size() + 1 ? Qt::Checked : Qt::PartiallyChecked;
}

QVariant RestorePlanModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid())
        return {};
    const int e = int(index.internalId()) - 1;
    const TocEntry &t = m_plan.entries().at(e);
    auto raw = [&]() -> QString {
        switch (index.column()) {
        case NameColumn:
            return t.name;
        case TypeColumn:
            return t.type;
        case SchemaColumn:
            return t.schema;
        case OwnerColumn:
            return t.owner;
        default:
            return {};
        }
    };
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == TypeColumn)
            return t.type.toLower();
        if (index.column() == SchemaColumn && t.schema.isEmpty())
            return QStringLiteral("—");
        return raw();
    case Qt::ToolTipRole:
        return t.definition.isEmpty() ? t.line : t.definition.left(2000);
    case Qt::CheckStateRole:
        return index.column() == NameColumn ? QVariant(checkState(e)) : QVariant();
    case RawValueRole:
        return raw();
    case DumpIdRole:
        return t.dumpId;
    case EntryTypeRole:
        return t.type;
    default:
        return {};
    }
}

void RestorePlanModel::emitRowChanged(int entry) {
    const QModelIndex first = indexForEntry(entry, 0);
    emit dataChanged(first, indexForEntry(entry, ColumnCount - 1), {Qt::CheckStateRole});
}

bool RestorePlanModel::setData(const QModelIndex &index, const QVariant &value, int role) {
    if (!index.isValid() || role != Qt::CheckStateRole || index.column() != NameColumn)
        return false;
    const int e = int(index.internalId()) - 1;
    const bool on = value.toInt() != Qt::Unchecked;
    m_checked[e] = on;
    for (int k : m_children.at(e)) {
        m_checked[k] = on;
        emitRowChanged(k);
    }
    emitRowChanged(e);
    if (const int p = parentEntry(e); p >= 0)
        emitRowChanged(p); // its partial state may have changed
    return true;
}

Qt::ItemFlags RestorePlanModel::flags(const QModelIndex &index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == NameColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant RestorePlanModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case TypeColumn:
        return tr("Type");
    case SchemaColumn:
        return tr("Schema");
    case OwnerColumn:
        return tr("Owner");
    default:
        return {};
    }
}

int RestorePlanModel::parentEntry(int entry) const {
    const int p = m_plan.entries().at(entry).parent;
    return p >= 0 && p < m_plan.entries().size() && m_plan.entries().at(p).parent < 0 ? p : -1;
}

QModelIndex RestorePlanModel::indexForEntry(int entry, int column) const {
    if (entry < 0 || entry >= m_row.size())
        return {};
    const int p = parentEntry(entry);
    return p < 0 ? index(m_row.at(entry), column) : index(m_row.at(entry), column, indexForEntry(p, 0));
}

void RestorePlanModel::emitAllChanged() {
    if (m_top.isEmpty())
        return;
    emit dataChanged(index(0, 0), index(int(m_top.size()) - 1, ColumnCount - 1), {Qt::CheckStateRole});
    for (int t : m_top) {
        const QModelIndex parent = indexForEntry(t);
        if (!m_children.at(t).isEmpty())
            emit dataChanged(index(0, 0, parent), index(int(m_children.at(t).size()) - 1, ColumnCount - 1, parent),
                             {Qt::CheckStateRole});
    }
}

void RestorePlanModel::setAllChecked(bool checked) {
    m_checked.fill(checked);
    emitAllChanged();
}

bool RestorePlanModel::selectTables(const QStringList &names, QString *error) {
    const QSet<int> ids = m_plan.selectionForTables(names, error);
    if (ids.isEmpty())
        return false;
    for (int i = 0; i < m_plan.entries().size(); ++i)
        m_checked[i] = ids.contains(m_plan.entries().at(i).dumpId);
    emitAllChanged();
    return true;
}

QSet<int> RestorePlanModel::selectedDumpIds() const {
    QSet<int> out;
    for (int i = 0; i < m_checked.size(); ++i) {
        if (m_checked.at(i))
            out.insert(m_plan.entries().at(i).dumpId);
    }
    return out;
}
