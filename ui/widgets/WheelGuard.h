#pragma once

#include <QObject>

namespace lifeboat {

// Spin boxes and combo boxes take the mouse wheel only when they have the keyboard focus. Scrolling a settings
// page with the wheel once changed "A job without progress for" from 10 to 1 minute on its way past, and the
// change was saved. Installed on the application: every spin box and combo box gets Qt::StrongFocus (the wheel no
// longer focuses it), and a wheel over one that has no focus goes on to its parent, which scrolls the page.
class WheelGuard : public QObject {
    Q_OBJECT
public:
    explicit WheelGuard(QObject *parent = nullptr);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace lifeboat
