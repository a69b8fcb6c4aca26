#include "ui/widgets/BadgeDelegate.h"

#include "models/BackupHistoryModel.h"

#include <QApplication>
#include <QPainter>

namespace lifeboat {

void BadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const {
    const QVariant color = index.data(BackupHistoryModel::BadgeColorRole);
    if (!color.isValid())
        return QStyledItemDelegate::paint(painter, option, index);
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *w = option.widget;
    QStyle *style = w ? w->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, w); // selection background

    const QFontMetrics fm(opt.font);
    const int pad = 6;
    const int h = qMin(opt.rect.height() - 4, fm.height() + 4);
    const int wdt = qMin(opt.rect.width() - 4, fm.horizontalAdvance(text) + 2 * pad);
    const QRect pill(opt.rect.left() + 2, opt.rect.center().y() - h / 2, wdt, h);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(color.value<QColor>());
    painter->drawRoundedRect(pill, h / 2.0, h / 2.0);
    painter->setPen(Qt::white);
    painter->setFont(opt.font);
    painter->drawText(pill, Qt::AlignCenter, fm.elidedText(text, Qt::ElideRight, pill.width() - pad));
    painter->restore();
}

QSize BadgeDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const {
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.rwidth() += 16;
    return s;
}

} // namespace lifeboat
