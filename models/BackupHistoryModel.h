#pragma once

#include "catalog/Catalog.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <memory>
#include <optional>

namespace lifeboat {

// The catalog as a table, loaded lazily in pages so 100,000 records stay smooth: the total comes from
// Catalog::count(), rows arrive through canFetchMore()/fetchMore() as the view scrolls. Every query runs on a
// worker thread; fetchMore() returns at once and the rows are inserted when the page arrives (canFetchMore() is
// false meanwhile, so a view never asks twice). RawRole gives the unformatted value for sorting.
class BackupHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        DateColumn,
        ProfileColumn,
        DatabaseColumn,
        KindColumn,
        TypeColumn,
        SizeColumn,
        DurationColumn,
        StatusColumn,
        StorageColumn,
        VerifiedColumn,
        ColumnCount
    };
    enum Role {
        RawRole = Qt::UserRole, // QDateTime, qint64, QString, bool: what proxies sort and filter on
        RecordIdRole,
        BadgeColorRole, // QColor of the type/status badge (delegates draw it as a pill)
        SearchTextRole, // every searchable field joined, lower case
        // double: stored size / bytes read before compression (issue 16); invalid for records without bytes read
        CompressionRatioRole,
    };

    explicit BackupHistoryModel(std::shared_ptr<Catalog> catalog, QObject *parent = nullptr);

    // Pushes profile/status/type/date limits down to the catalog query and reloads.
    void setCatalogFilter(const CatalogFilter &filter);
    CatalogFilter catalogFilter() const { return m_filter; }
    void setPageSize(int rows) { m_pageSize = qMax(1, rows); }
    int pageSize() const { return m_pageSize; }

    int totalCount() const { return m_total; }
    int loadedCount() const { return int(m_rows.size()); }
    bool isLoading() const { return m_loading; }

    const BackupRecord *record(int row) const;
    // What SearchTextRole returns, without a QVariant: the proxy filters 100,000 rows through these.
    const QString &searchTextAt(int row) const { return m_search.at(row); }
    // The Size column: "377.0 MiB (0.34)" — the stored size and its ratio to the bytes read; the size alone for
    // records made before bytes read was recorded (-1).
    static QString sizeText(const BackupRecord &r);
    // Three-way comparison of two records on a column's raw value (what RawRole gives), for sorting.
    static int compareRaw(const BackupRecord &a, const BackupRecord &b, int column);
    int rowOfId(qint64 id) const { return m_rowOfId.value(id, -1); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    static QColor statusColor(const QString &status);
    static QColor typeColor(const QString &type);

public slots:
    // Starts over from the newest record (a backup finished, a record was deleted). Asynchronous.
    void reload();

signals:
    void loadingChanged(bool loading);
    void totalCountChanged(int total);
    void pageLoaded(int rowsAdded);

private:
    struct Page {
        int total = -1; // -1: not counted (a follow-up page)
        QList<BackupRecord> records;
        QStringList search; // SearchTextRole per record, built on the worker
    };
    static QString searchText(const BackupRecord &r);
    void startLoad(int offset, bool withCount);
    void applyPage(quint64 generation, const Page &page);
    void setLoading(bool loading);
    QVariant display(const BackupRecord &r, int column) const;
    QVariant raw(const BackupRecord &r, int column) const;

    std::shared_ptr<Catalog> m_catalog;
    CatalogFilter m_filter;
    int m_pageSize = 500;
    int m_total = 0;
    bool m_loading = false;
    quint64 m_generation = 0;
    QList<BackupRecord> m_rows;
    QStringList m_search;
    QHash<qint64, int> m_rowOfId;
};

} // namespace lifeboat
