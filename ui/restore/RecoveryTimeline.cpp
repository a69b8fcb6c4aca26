#include "ui/restore/RecoveryTimeline.h"

#include "models/Format.h"

#include <QPainter>

namespace lifeboat {

RecoveryTimeline::RecoveryTimeline(QWidget *parent)
    : QWidget(parent) {
    setAccessibleName(tr("Recoverable window"));
}

void RecoveryTimeline::setWindow(const QDateTime &start, const QDateTime &end, const QList<QDateTime> &baseBackups,
                                 bool gap) {
    m_start = start;
    m_end = end;
    m_bases = baseBackups;
    m_gap = gap;
    setToolTip(hasWindow() ? tr("Recoverable from %1 to %2%3")
                                 .arg(Format::dateTime(start), Format::dateTime(end),
                                      gap ? tr("; a missing segment ends the window") : QString())
                           : QString());
    update();
}

void RecoveryTimeline::setTarget(const QDateTime &target) {
    m_target = target;
    update();
}

void RecoveryTimeline::clear() {
    m_start = m_end = m_target = {};
    m_bases.clear();
    m_gap = false;
    setToolTip({});
    update();
}

bool RecoveryTimeline::targetInside() const {
    return hasWindow() && (!m_target.isValid() || (m_target >= m_start && m_target <= m_end));
}

void RecoveryTimeline::paintEvent(QPaintEvent *) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRect area = rect().adjusted(8, 4, -8, -4);
    const QColor text = palette().color(QPalette::WindowText);
    if (!hasWindow()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter, tr("Check to see the recoverable window."));
        return;
    }
    // The span shown: the window, widened to a target outside it so that the operator sees how far off it is.
    QDateTime from = m_start, to = m_end;
    if (m_target.isValid()) {
        from = qMin(from, m_target);
        to = qMax(to, m_target);
    }
    const qint64 span = qMax<qint64>(1, from.msecsTo(to));
    const int barTop = area.top() + 18, barHeight = 14;
    auto xOf = [&](const QDateTime &t) {
        return area.left() + int(double(from.msecsTo(t)) / double(span) * area.width());
    };

    const QRect bar(QPoint(xOf(m_start), barTop), QPoint(xOf(m_end), barTop + barHeight));
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x2e, 0x8b, 0x57, 170));
    p.drawRoundedRect(bar, 3, 3);
    if (m_gap) {
        p.setBrush(QColor(0xc6, 0x28, 0x28));
        p.drawRect(QRect(bar.right() - 3, barTop - 3, 6, barHeight + 6));
    }
    p.setPen(QPen(text, 1));
    for (const QDateTime &b : m_bases) {
        const int x = xOf(b);
        p.drawLine(x, barTop - 4, x, barTop + barHeight + 4);
    }
    if (m_target.isValid()) {
        const int x = xOf(m_target);
        p.setPen(QPen(targetInside() ? palette().color(QPalette::Highlight) : QColor(0xc6, 0x28, 0x28), 2));
        p.drawLine(x, area.top(), x, barTop + barHeight + 6);
    }
    p.setPen(text);
    const QRect labels(area.left(), barTop + barHeight + 6, area.width(), area.bottom() - barTop - barHeight - 6);
    p.drawText(labels, Qt::AlignLeft | Qt::AlignTop, Format::dateTime(m_start));
    p.drawText(labels, Qt::AlignRight | Qt::AlignTop,
               m_gap ? tr("%1 (gap)").arg(Format::dateTime(m_end)) : Format::dateTime(m_end));
    p.drawText(QRect(area.left(), area.top(), area.width(), 16), Qt::AlignCenter,
               tr("%n base backup(s)", nullptr, int(m_bases.size())));
}

} // namespace lifeboat
