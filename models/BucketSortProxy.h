#pragma once

#include <QSortFilterProxyModel>

namespace lifeboat {

// Sorts a BucketModel listing on its raw values (bytes, dates, record ids — not their formatted text) with
// folders kept above objects in either direction, and filters the names case-insensitively.
class BucketSortProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit BucketSortProxy(QObject *parent = nullptr);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
};

} // namespace lifeboat
