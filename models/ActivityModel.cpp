#include "models/ActivityModel.h"

#include "catalog/Catalog.h"
#include "models/Async.h"
#include "models/Format.h"

namespace lifeboat {

ActivityModel::ActivityModel(std::shared_ptr<Catalog> catalog, QObject *parent)
    : QAbstractTableModel(parent)
    , m_catalog(std::move(catalog)) {}

void ActivityModel::setFilter(const AuditFilter &filter) {
    m_filter = filter;
    reload();
}

void ActivityModel::reload() {
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_total = 0;
    endResetModel();
    m_loading = false;
    load(0);
}

void ActivityModel::load(int offset) {
    if (!m_catalog)
        return;
    m_loading = true;
    AuditFilter f = m_filter;
    f.offset = offset;
    f.limit = kPageSize;
    const quint64 generation = m_generation;
    struct Page {
        QList<AuditEntry> rows;
        int total = 0;
    };
    runAsync(
        this,
        [catalog = m_catalog, f, offset] {
            Page p;
            p.rows = catalog->auditEntries(f);
            p.total = offset == 0 ? catalog->auditCount(f) : -1;
            return p;
        },
        [this, generation](const Page &p) {
            if (generation != m_generation)
                return;
            m_loading = false;
            if (p.total >= 0)
                m_total = p.total;
            if (!p.rows.isEmpty()) {
                beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + p.rows.size()) - 1);
                m_rows += p.rows;
                endInsertRows();
            }
            // Rows written since the count: never stop short of what arrived.
            m_total = qMax(m_total, int(m_rows.size()));
            if (p.rows.size() < kPageSize)
                m_total = int(m_rows.size());
            emit loaded();
        },
        catalogPool());
}

const AuditEntry *ActivityModel::entry(int row) const {
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int ActivityModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ActivityModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

bool ActivityModel::canFetchMore(const QModelIndex &parent) const {
    return !parent.isValid() && !m_loading && m_rows.size() < m_total;
}

void ActivityModel::fetchMore(const QModelIndex &parent) {
    if (canFetchMore(parent))
        load(int(m_rows.size()));
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const {
    const AuditEntry *e = entry(index.row());
    if (!e || (role != Qt::DisplayRole && role != RawRole && role != Qt::ToolTipRole))
        return {};
    switch (index.column()) {
    case TimeColumn:
        if (role == RawRole)
            return e->at;
        return Format::dateTime(e->at);
    case UserColumn:
        return role == Qt::ToolTipRole ? QStringLiteral("%1@%2").arg(e->osUser, e->host) : e->osUser;
    case ProgramColumn:
        return e->program;
    case ActionColumn:
        return e->action;
    case TargetColumn:
        return e->target;
    case OutcomeColumn:
        return e->outcome;
    case BackupColumn:
        if (role == RawRole)
            return e->backupId;
        return e->backupId > 0 ? QStringLiteral("#%1").arg(e->backupId) : QString();
    case DetailColumn:
        return e->detail;
    }
    return {};
}

QVariant ActivityModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case UserColumn:
        return tr("User");
    case ProgramColumn:
        return tr("Program");
    case ActionColumn:
        return tr("Action");
    case TargetColumn:
        return tr("Target");
    case OutcomeColumn:
        return tr("Outcome");
    case BackupColumn:
        return tr("Backup");
    case DetailColumn:
        return tr("Detail");
    }
    return {};
}

} // namespace lifeboat
