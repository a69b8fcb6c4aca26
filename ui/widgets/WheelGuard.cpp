#include "ui/widgets/WheelGuard.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QEvent>

namespace lifeboat {

namespace {
bool guarded(QObject *o) {
    return qobject_cast<QAbstractSpinBox *>(o) || qobject_cast<QComboBox *>(o);
}
} // namespace

WheelGuard::WheelGuard(QObject *parent)
    : QObject(parent) {}

bool WheelGuard::eventFilter(QObject *watched, QEvent *event) {
    if (event->type() == QEvent::Polish && guarded(watched)) {
        auto *w = static_cast<QWidget *>(watched);
        if (w->focusPolicy() == Qt::WheelFocus)
            w->setFocusPolicy(Qt::StrongFocus);
    } else if (event->type() == QEvent::Wheel && guarded(watched) && !static_cast<QWidget *>(watched)->hasFocus()) {
        // Not consumed: QApplication hands an ignored wheel event on to the parent (a scroll area scrolls).
        event->ignore();
        return true;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace lifeboat
