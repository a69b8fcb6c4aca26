#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace lifeboat {

class AppContext;

// Shown while no server profile or no storage is configured: the three ways to get started.
class FirstRunPage : public QWidget {
    Q_OBJECT
public:
    explicit FirstRunPage(AppContext *ctx, QWidget *parent = nullptr);

    QPushButton *addServerButton() const { return m_addServer; }
    QPushButton *addStorageButton() const { return m_addStorage; }
    QPushButton *sandboxButton() const { return m_sandbox; }

signals:
    void addServerRequested();
    void addStorageRequested();

private:
    void refresh();

    AppContext *m_ctx;
    QLabel *m_state;
    QPushButton *m_addServer;
    QPushButton *m_addStorage;
    QPushButton *m_sandbox;
    QLabel *m_sandboxText;
};

} // namespace lifeboat
