#pragma once

#include <QWidget>

namespace lifeboat {

// A page whose feature has not landed yet: it says plainly what it will do and that it arrives later. No sample
// data, nothing pretending to work.
class PlaceholderPage : public QWidget {
    Q_OBJECT
public:
    PlaceholderPage(const QString &icon, const QString &title, const QString &promise, QWidget *parent = nullptr);
};

} // namespace lifeboat
