#pragma once

#include <QWidget>

namespace lifeboat {

class AppContext;

class BucketsPage : public QWidget {
    Q_OBJECT
public:
    explicit BucketsPage(AppContext *ctx, QWidget *parent = nullptr);

private:
    AppContext *m_ctx;
};

} // namespace lifeboat
