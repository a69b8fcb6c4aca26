#pragma once

#include "jobs/RetentionPruner.h"

#include <QAbstractTableModel>
#include <QList>

namespace lifeboat {

// A retention plan as a table: each backup of a profile with what retention would do to it and why. Filled with
// the answer of RetentionPruner::plan() computed on a worker; the model itself never touches the catalog.
class ScheduleRetentionModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { IdColumn, StartedColumn, TypeColumn, StatusColumn, ActionColumn, ReasonColumn, ColumnCount };
    enum Role {
        RawRole = Qt::UserRole, // qint64 id, QDateTime, QString, bool keep
        KeepRole,               // bool on every column
    };

    explicit ScheduleRetentionModel(QObject *parent = nullptr);

    void setEntries(const QList<RetentionPruner::Entry> &entries);
    const QList<RetentionPruner::Entry> &entries() const { return m_entries; }
    int keepCount() const;
    int expireCount() const;
    // Row of a backup id; -1 when absent.
    int rowOf(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<RetentionPruner::Entry> m_entries;
};

} // namespace lifeboat
