#include "models/HistoryFilterProxy.h"

#include "models/BackupHistoryModel.h"

#include <QDateTime>

namespace lifeboat {

HistoryFilterProxy::HistoryFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent) {
    setSortRole(BackupHistoryModel::RawRole);
    setDynamicSortFilter(true);
}

void HistoryFilterProxy::setTypeFilter(const QString &type) {
    m_type = type.toUpper();
    invalidateFilter();
}

void HistoryFilterProxy::setStatusFilter(const QString &status) {
    m_status = status.toUpper();
    invalidateFilter();
}

void HistoryFilterProxy::setProfileFilter(const QString &profile) {
    m_profile = profile;
    invalidateFilter();
}

void HistoryFilterProxy::setDateRange(const QDate &from, const QDate &to) {
    m_from = from;
    m_to = to;
    invalidateFilter();
}

void HistoryFilterProxy::setText(const QString &text) {
    m_text = text;
    m_words = text.toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateFilter();
}

bool HistoryFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const {
    const QAbstractItemModel *m = sourceModel();
    auto raw = [&](int column) { return m->index(sourceRow, column, sourceParent).data(BackupHistoryModel::RawRole); };
    if (!m_type.isEmpty()) {
        const QStringList types = raw(BackupHistoryModel::TypeColumn).toString().split(QLatin1Char(','));
        if (!types.contains(m_type))
            return false;
    }
    if (!m_status.isEmpty() && raw(BackupHistoryModel::StatusColumn).toString() != m_status)
        return false;
    if (!m_profile.isEmpty() && raw(BackupHistoryModel::ProfileColumn).toString() != m_profile)
        return false;
    if (m_from.isValid() || m_to.isValid()) {
        const QDate day = raw(BackupHistoryModel::DateColumn).toDateTime().toLocalTime().date();
        if ((m_from.isValid() && day < m_from) || (m_to.isValid() && day > m_to))
            return false;
    }
    if (!m_words.isEmpty()) {
        const QString hay = m->index(sourceRow, 0, sourceParent).data(BackupHistoryModel::SearchTextRole).toString();
        for (const QString &w : m_words) {
            if (!hay.contains(w))
                return false;
        }
    }
    return true;
}

bool HistoryFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const {
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    if (a.userType() == QMetaType::QDateTime || b.userType() == QMetaType::QDateTime) {
        // Missing dates (never verified) sort before any real one.
        const QDateTime da = a.toDateTime(), db = b.toDateTime();
        if (da.isValid() != db.isValid())
            return !da.isValid();
        if (da != db)
            return da < db;
    } else {
        const int c = QVariant::compare(a, b) == QPartialOrdering::Less      ? -1
                      : QVariant::compare(a, b) == QPartialOrdering::Greater ? 1
                                                                             : 0;
        if (c != 0)
            return c < 0;
    }
    // Stable for equal keys: by record id.
    return left.data(BackupHistoryModel::RecordIdRole).toLongLong() <
           right.data(BackupHistoryModel::RecordIdRole).toLongLong();
}

} // namespace lifeboat
