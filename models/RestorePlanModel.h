#pragma once

#include "restore/RestorePlan.h"

#include <QAbstractItemModel>
#include <QSet>
#include <QVector>

// The restore wizard's "what to restore" tree: the archive's TOC entries in pg_restore order, each table with
// the entries that belong to it (its data, indexes, constraints, triggers, defaults, sequences) as children.
// Column 0 is checkable; checking or unchecking a table does the same to its children, and a table whose children
// are mixed shows as partially checked. selectedDumpIds() is what goes into the -L list file.
class RestorePlanModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, TypeColumn, SchemaColumn, OwnerColumn, ColumnCount };
    enum Role {
        RawValueRole = Qt::UserRole + 1, // the column's unformatted value (QString; the dump id for DumpIdRole)
        DumpIdRole,
        EntryTypeRole,
    };

    explicit RestorePlanModel(QObject *parent = nullptr);

    void setPlan(const lifeboat::RestorePlan &plan);
    const lifeboat::RestorePlan &plan() const { return m_plan; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setAllChecked(bool checked);
    // Checks exactly these tables with everything that belongs to them; false names an unknown table.
    bool selectTables(const QStringList &names, QString *error = nullptr);
    QSet<int> selectedDumpIds() const;
    // Index of the entry with this position in plan().entries().
    QModelIndex indexForEntry(int entry, int column = 0) const;

private:
    Qt::CheckState checkState(int entry) const;
    void emitRowChanged(int entry);
    void emitAllChanged();
    int parentEntry(int entry) const; // the top-level entry this one is shown under, -1 for top level

    lifeboat::RestorePlan m_plan;
    QVector<int> m_top;               // entry indexes without a parent
    QVector<QVector<int>> m_children; // per entry
    QVector<int> m_row;               // per entry: its row under its parent
    QVector<bool> m_checked;          // per entry
};
