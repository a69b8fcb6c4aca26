#pragma once

#include <QWidget>

namespace lifeboat {

class AppContext;

class SchedulesPage : public QWidget {
    Q_OBJECT
public:
    explicit SchedulesPage(AppContext *ctx, QWidget *parent = nullptr);

private:
    AppContext *m_ctx;
};

} // namespace lifeboat
