#include "models/BucketSortProxy.h"

#include "models/BucketModel.h"

#include <QCollator>

namespace lifeboat {

BucketSortProxy::BucketSortProxy(QObject *parent)
    : QSortFilterProxyModel(parent) {
    setSortRole(BucketModel::RawValueRole);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setFilterKeyColumn(BucketModel::NameColumn);
    setDynamicSortFilter(true);
}

bool BucketSortProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const {
    const bool lf = left.data(BucketModel::IsFolderRole).toBool();
    const bool rf = right.data(BucketModel::IsFolderRole).toBool();
    if (lf != rf) // the view reverses lessThan for a descending sort; keep folders first anyway
        return sortOrder() == Qt::AscendingOrder ? lf : rf;
    const QVariant l = left.data(BucketModel::RawValueRole);
    const QVariant r = right.data(BucketModel::RawValueRole);
    if (l.userType() == QMetaType::QString) {
        static const QCollator collator = [] {
            QCollator c;
            c.setNumericMode(true);
            c.setCaseSensitivity(Qt::CaseInsensitive);
            return c;
        }();
        return collator.compare(l.toString(), r.toString()) < 0;
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace lifeboat
