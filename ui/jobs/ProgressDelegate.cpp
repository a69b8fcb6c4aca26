#include "ui/jobs/ProgressDelegate.h"

#include "models/JobListModel.h"

#include <QApplication>
#include <QStyleOptionProgressBar>

namespace lifeboat {

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const {
    const QVariant v = index.data(JobListModel::ProgressRole);
    const int state = index.data(JobListModel::StateRole).toInt();
    if (!v.isValid() || state == int(JobListModel::State::Queued))
        return QStyledItemDelegate::paint(painter, option, index);
    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(2, 3, -2, -3);
    bar.state = option.state | QStyle::State_Horizontal;
    bar.direction = option.direction;
    bar.fontMetrics = option.fontMetrics;
    bar.palette = option.palette;
    bar.minimum = 0;
    const int percent = v.toInt();
    const bool running = state == int(JobListModel::State::Running);
    // Unknown progress on a running job: the busy indicator (min == max == 0).
    bar.maximum = percent < 0 && running ? 0 : 100;
    bar.progress = percent < 0 ? 0 : percent;
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    const QWidget *w = option.widget;
    QStyle *style = w ? w->style() : QApplication::style();
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, w);
}

} // namespace lifeboat
