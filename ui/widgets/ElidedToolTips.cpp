#include "ui/widgets/ElidedToolTips.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QStyle>
#include <QToolTip>

namespace lifeboat {

bool ElidedToolTips::eventFilter(QObject *watched, QEvent *event) {
    if (event->type() != QEvent::ToolTip)
        return false;
    auto *viewport = qobject_cast<QWidget *>(watched);
    auto *view = viewport ? qobject_cast<QAbstractItemView *>(viewport->parentWidget()) : nullptr;
    if (!view || view->viewport() != viewport)
        return false;
    const auto *help = static_cast<QHelpEvent *>(event);
    const QModelIndex index = view->indexAt(help->pos());
    if (!index.isValid() || index.data(Qt::ToolTipRole).isValid())
        return false; // the model's own tooltip says more than the cell's text
    const QString text = index.data(Qt::DisplayRole).toString();
    if (text.isEmpty())
        return false;
    const QRect cell = view->visualRect(index);
    // The text's width plus the item's margins and, when there is one, its icon: what the delegate needs to draw
    // it without eliding.
    const int margin = 2 * (view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, view) + 1);
    const int icon = index.data(Qt::DecorationRole).isValid() ? view->iconSize().width() + margin : 0;
    QFont font = view->font();
    if (const QVariant f = index.data(Qt::FontRole); f.isValid())
        font = f.value<QFont>();
    const int needed = QFontMetrics(font).horizontalAdvance(text) + margin + icon;
    if (needed <= cell.width() && !text.contains(QLatin1Char('\n')))
        return false;
    QToolTip::showText(help->globalPos(), text, viewport, cell);
    return true;
}

} // namespace lifeboat
