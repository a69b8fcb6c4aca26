#pragma once

#include <QObject>

namespace lifeboat {

// Any item view's cell whose text does not fit shows it whole as a tooltip ("DAILY,WEE…", "ünïcödé sche…"), unless
// the model gives a tooltip of its own. Installed once on the application (main.cpp), so every table, tree and list
// of the app gets it without each page wiring it.
class ElidedToolTips : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace lifeboat
