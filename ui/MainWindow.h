#pragma once

#include <QMainWindow>

class QComboBox;
class QLabel;
class QListWidget;
class QStackedWidget;

namespace lifeboat {

class AppContext;
class BackupNowDialog;
class CatalogWatcher;
class DashboardPage;
class FirstRunPage;
class HistoryPage;
class JobsPage;
class SettingsPage;
class TrayController;
class TrayScheduleRunner;

// The desktop application's window: navigation on the left, one page at a time, a profile switcher, a status bar
// (keychain, running jobs), a File menu and the tray (TrayController: schedule runner, icon, notifications). With
// "Keep running in the tray" on, closing the window only hides it; Quit (File menu, tray menu, Ctrl+Q) ends the
// app. Shows the first-run page while nothing is configured.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Page { Dashboard, History, Jobs, Buckets, Restore, Schedules, Settings, Activity, FirstRun };
    Q_ENUM(Page)

    explicit MainWindow(AppContext *ctx, QWidget *parent = nullptr);
    ~MainWindow() override;

    Page currentPage() const;
    QWidget *pageWidget(Page page) const;
    DashboardPage *dashboardPage() const { return m_dashboard; }
    HistoryPage *historyPage() const { return m_history; }
    JobsPage *jobsPage() const { return m_jobs; }
    SettingsPage *settingsPage() const { return m_settings; }
    FirstRunPage *firstRunPage() const { return m_firstRun; }
    QComboBox *profileSwitcher() const { return m_profileBox; }
    BackupNowDialog *backupDialog() const;
    QLabel *keychainStatus() const { return m_keychainLabel; }
    QLabel *jobsStatus() const { return m_jobsLabel; }
    TrayController *tray() const { return m_trayCtl; }
    TrayScheduleRunner *scheduleRunner() const;
    CatalogWatcher *catalogWatcher() const { return m_watcher; }

    static QString pageName(Page page);

public slots:
    void showPage(lifeboat::MainWindow::Page page);
    BackupNowDialog *openBackupDialog();
    void showFromTray();
    // Really quits (after the running-jobs confirmation), whatever the tray setting.
    void quitApp();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildNavigation();
    void buildToolbar();
    void buildStatusBar();
    void buildTray();
    void buildMenu();
    void updateProfiles();
    void updateJobsStatus();
    void updateKeychainStatus();
    void updateFirstRun();
    void restoreState();

    AppContext *m_ctx;
    QListWidget *m_nav;
    QStackedWidget *m_stack;
    FirstRunPage *m_firstRun;
    DashboardPage *m_dashboard;
    HistoryPage *m_history;
    JobsPage *m_jobs;
    SettingsPage *m_settings;
    QList<QWidget *> m_pages;
    QComboBox *m_profileBox;
    QLabel *m_keychainLabel;
    QLabel *m_jobsLabel;
    TrayController *m_trayCtl = nullptr;
    CatalogWatcher *m_watcher = nullptr;
    bool m_quitConfirmed = false;
    bool m_wasConfigured = false; // for updateFirstRun: the moment the setup becomes complete
    bool m_quitting = false;
    bool m_toldHidden = false;
};

} // namespace lifeboat
