#pragma once

#include <QWidget>

namespace lifeboat {

class AppContext;

class RestorePage : public QWidget {
    Q_OBJECT
public:
    explicit RestorePage(AppContext *ctx, QWidget *parent = nullptr);

    // Starts the wizard on a restore source: a catalog id ("42") or a file path, as RestoreSource::open takes.
    void openWith(const QString &spec);

private:
    AppContext *m_ctx;
};

} // namespace lifeboat
