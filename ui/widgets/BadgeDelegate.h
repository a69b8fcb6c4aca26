#pragma once

#include <QStyledItemDelegate>

namespace lifeboat {

// Draws a cell as a rounded "pill" in the colour the model gives for BackupHistoryModel::BadgeColorRole (status
// and type badges), with white text; plain text when the model gives no colour.
class BadgeDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace lifeboat
