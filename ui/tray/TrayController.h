#pragma once

#include <QObject>
#include <QString>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace lifeboat {

class AppContext;
class TrayScheduleRunner;
class WalCaptureRunner;

// The app's life outside its window: the schedule runner (which works with or without a tray icon), continuous WAL
// capture for profiles marked continuous (WalCaptureRunner), the tray
// icon with its menu (Open, Back up now ▸ profiles, Pause schedules, Quit) where the desktop has a system tray,
// desktop notifications (backup failures always, successes when the source's setting says "always", stalled jobs,
// scheduled runs) and the "Keep running in the tray" setting (config option keepInTray; default on when a tray
// exists).
class TrayController : public QObject {
    Q_OBJECT
public:
    TrayController(AppContext *ctx, QWidget *window);

    TrayScheduleRunner *runner() const { return m_runner; }
    WalCaptureRunner *capture() const { return m_capture; } // `wal receive` for continuous profiles
    QSystemTrayIcon *icon() const { return m_icon; }        // null when the desktop has no system tray
    QAction *pauseAction() const { return m_pause; }
    QAction *keepInTrayAction() const { return m_keep; }
    QMenu *menu() const { return m_menu; }

    bool keepInTray() const;
    void setKeepInTray(bool on);
    void hideIcon();

    // Shows a desktop notification (tray balloon / system notification) when a tray exists; always remembered
    // for the window's status bar and for tests. `text` must already be free of secrets.
    void notify(const QString &title, const QString &text, bool failure);
    QString lastTitle() const { return m_lastTitle; }
    QString lastText() const { return m_lastText; }
    int notificationCount() const { return m_count; }

signals:
    void openRequested();
    void quitRequested();
    void notified(const QString &title, const QString &text, bool failure);

private:
    void rebuildBackupMenu();
    void applyKeepInTray();

    AppContext *m_ctx;
    QWidget *m_window;
    TrayScheduleRunner *m_runner;
    WalCaptureRunner *m_capture;
    QSystemTrayIcon *m_icon = nullptr;
    QMenu *m_menu;
    QMenu *m_backupMenu;
    QAction *m_pause;
    QAction *m_keep;
    QString m_lastTitle;
    QString m_lastText;
    int m_count = 0;
};

} // namespace lifeboat
