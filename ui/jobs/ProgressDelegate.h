#pragma once

#include <QStyledItemDelegate>

namespace lifeboat {

// Draws JobListModel::ProgressRole (0..100, -1 = unknown) as the platform's progress bar with the cell's text.
class ProgressDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace lifeboat
