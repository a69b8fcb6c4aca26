#pragma once

#include "catalog/AuditEntry.h"

#include <QAbstractTableModel>
#include <QList>

#include <memory>

namespace lifeboat {

class Catalog;

// The audit trail as a table (the Activity page). Like BackupHistoryModel it counts the matching rows and loads
// them a page at a time through canFetchMore()/fetchMore() as the view scrolls, each query on the catalog thread,
// so 100,000 rows stay smooth. The filter (user, action, free text) is pushed into the query. RawRole gives the
// sortable value of a cell (the time as a QDateTime, the backup id as a number).
class ActivityModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        UserColumn,
        ProgramColumn,
        ActionColumn,
        TargetColumn,
        OutcomeColumn,
        BackupColumn,
        DetailColumn,
        ColumnCount
    };
    static constexpr int RawRole = Qt::UserRole + 1;
    static constexpr int kPageSize = 500;

    explicit ActivityModel(std::shared_ptr<Catalog> catalog, QObject *parent = nullptr);

    // Reloads from the first page with this filter.
    void setFilter(const AuditFilter &filter);
    void reload();
    bool isLoading() const { return m_loading; }
    int totalCount() const { return m_total; }
    const AuditEntry *entry(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void loaded(); // a page (or the first page after a reload) arrived

private:
    void load(int offset);

    std::shared_ptr<Catalog> m_catalog;
    AuditFilter m_filter;
    QList<AuditEntry> m_rows;
    int m_total = 0;
    bool m_loading = false;
    quint64 m_generation = 0; // a reload makes pages still on their way stale
};

} // namespace lifeboat
