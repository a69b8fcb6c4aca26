#include "ui/MainWindow.h"

#include "core/Home.h"
#include "models/CatalogWatcher.h"
#include "models/JobListModel.h"
#include "ui/AboutDialog.h"
#include "ui/AppContext.h"
#include "ui/buckets/BucketsPage.h"
#include "ui/dashboard/BackupNowDialog.h"
#include "ui/dashboard/DashboardPage.h"
#include "ui/dashboard/FirstRunPage.h"
#include "ui/history/ActivityPage.h"
#include "ui/history/HistoryPage.h"
#include "ui/jobs/JobsPage.h"
#include "ui/restore/RestorePage.h"
#include "ui/schedules/SchedulesPage.h"
#include "ui/settings/ProfileDialog.h"
#include "ui/settings/SettingsPage.h"
#include "ui/settings/StorageDialog.h"
#include "ui/tray/TrayController.h"
#include "ui/tray/TrayScheduleRunner.h"
#include "ui/tray/WalCaptureRunner.h"
#include "ui/widgets/MessageBox.h"
#include "ui/widgets/WheelGuard.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QShortcut>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>

static void initLifeboatResources() {
    Q_INIT_RESOURCE(lifeboat);
}

namespace lifeboat {

namespace {
QString iconFor(MainWindow::Page p) {
    static const char *names[] = {"dashboard", "history",   "jobs",     "buckets",
                                  "restore",   "schedules", "settings", "manifest"};
    return QStringLiteral(":/icons/%1.svg").arg(QLatin1String(names[p]));
}
} // namespace

QString MainWindow::pageName(Page page) {
    switch (page) {
    case Dashboard:
        return tr("Dashboard");
    case History:
        return tr("History");
    case Jobs:
        return tr("Jobs");
    case Buckets:
        return tr("Buckets");
    case Restore:
        return tr("Restore");
    case Schedules:
        return tr("Schedules");
    case Settings:
        return tr("Settings");
    case Activity:
        return tr("Activity");
    case FirstRun:
        return tr("Welcome");
    }
    return {};
}

MainWindow::MainWindow(AppContext *ctx, QWidget *parent)
    : QMainWindow(parent)
    , m_ctx(ctx) {
    initLifeboatResources();
    // Before any page exists, so every spin box and combo box is polished with it (see WheelGuard).
    qApp->installEventFilter(new WheelGuard(this));
    setWindowTitle(tr("Lifeboat"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/lifeboat.svg")));
    setObjectName(QStringLiteral("mainWindow"));

    auto *central = new QWidget(this);
    auto *h = new QHBoxLayout(central);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(0);
    m_nav = new QListWidget(central);
    m_stack = new QStackedWidget(central);
    h->addWidget(m_nav);
    h->addWidget(m_stack, 1);
    setCentralWidget(central);

    m_dashboard = new DashboardPage(ctx, m_stack);
    m_history = new HistoryPage(ctx, m_stack);
    m_jobs = new JobsPage(ctx, m_stack);
    auto *buckets = new BucketsPage(ctx, m_stack);
    auto *restore = new RestorePage(ctx, m_stack);
    auto *schedules = new SchedulesPage(ctx, m_stack);
    m_settings = new SettingsPage(ctx, m_stack);
    auto *activity = new ActivityPage(ctx, m_stack);
    m_firstRun = new FirstRunPage(ctx, m_stack);
    m_pages = {m_dashboard, m_history, m_jobs, buckets, restore, schedules, m_settings, activity, m_firstRun};
    for (int i = 0; i < m_pages.size(); ++i) {
        m_pages[i]->setAccessibleName(pageName(Page(i)));
        m_stack->addWidget(m_pages[i]);
        m_pages[i]->setContentsMargins(8, 8, 8, 4);
    }

    buildNavigation();
    buildToolbar();
    buildStatusBar();
    buildTray();
    buildMenu();

    connect(m_ctx, &AppContext::restoreRequested, this, [this, restore](const QString &spec) {
        showPage(Restore);
        restore->openWith(spec);
    });
    connect(m_history, &HistoryPage::backupNowRequested, this, &MainWindow::openBackupDialog);
    connect(m_history, &HistoryPage::statusMessage, this,
            [this](const QString &t) { statusBar()->showMessage(t, 8000); });
    connect(m_firstRun, &FirstRunPage::addServerRequested, m_settings, &SettingsPage::addProfile);
    connect(m_firstRun, &FirstRunPage::addStorageRequested, m_settings, &SettingsPage::addStorage);
    connect(m_dashboard, &DashboardPage::addStorageRequested, m_settings, &SettingsPage::addStorage);
    connect(m_dashboard, &DashboardPage::schedulesRequested, this, [this] { showPage(Schedules); });
    connect(m_ctx, &AppContext::configChanged, this, [this] {
        updateProfiles();
        updateFirstRun();
    });
    connect(m_ctx, &AppContext::keychainChanged, this, &MainWindow::updateKeychainStatus);
    connect(m_ctx->jobs(), &JobListModel::activeCountChanged, this, &MainWindow::updateJobsStatus);
    connect(m_ctx->jobs(), &JobListModel::jobEnded, this, [this](int row, const JobResult &r) {
        const QString title = m_ctx->jobs()->index(row, 0).data().toString();
        const QString text = r.ok() ? tr("%1 finished.").arg(title)
                                    : tr("%1: %2").arg(title, JobListModel::stateText(m_ctx->jobs()->state(row)));
        statusBar()->showMessage(text, 10000);
    });
    connect(m_trayCtl, &TrayController::notified, this, [this](const QString &title, const QString &text) {
        statusBar()->showMessage(title + QStringLiteral(": ") + text, 15000);
    });
    // Another process (run-due from cron, lifeboatctl verify, a second workstation) changed the catalog: every
    // view reloads as if a job of ours had ended.
    m_watcher = new CatalogWatcher(m_ctx->catalog(), Home::catalogPath(m_ctx->home()), this);
    connect(m_watcher, &CatalogWatcher::changed, m_ctx, &AppContext::catalogChanged);
    m_watcher->start();

    updateProfiles();
    updateJobsStatus();
    updateKeychainStatus();
    restoreState();
    m_wasConfigured = m_ctx->isConfigured();
    if (m_wasConfigured)
        showPage(Dashboard);
    else
        showPage(FirstRun);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildNavigation() {
    m_nav->setAccessibleName(tr("Pages"));
    m_nav->setIconSize(QSize(22, 22));
    m_nav->setFrameShape(QFrame::NoFrame);
    m_nav->setSpacing(2);
    m_nav->setAutoFillBackground(true);
    m_nav->setBackgroundRole(QPalette::Window);
    m_nav->viewport()->setBackgroundRole(QPalette::Window);
    int width = 0;
    for (int i = Dashboard; i <= Activity; ++i) {
        auto *item = new QListWidgetItem(QIcon(iconFor(Page(i))), pageName(Page(i)), m_nav);
        item->setSizeHint(QSize(0, 38));
        item->setToolTip(tr("%1 (Ctrl+%2)").arg(pageName(Page(i))).arg(i + 1));
        width = qMax(width, m_nav->fontMetrics().horizontalAdvance(item->text()));
        auto *sc = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)), this);
        connect(sc, &QShortcut::activated, this, [this, i] { showPage(Page(i)); });
    }
    m_nav->setFixedWidth(width + 22 + 48);
    connect(m_nav, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            showPage(Page(row));
    });
}

void MainWindow::buildToolbar() {
    auto *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolbar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(18, 18));
    auto *label = new QLabel(tr("  Profile: "), bar);
    bar->addWidget(label);
    m_profileBox = new QComboBox(bar);
    m_profileBox->setAccessibleName(tr("Current profile"));
    m_profileBox->setMinimumContentsLength(14);
    m_profileBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    label->setBuddy(m_profileBox);
    bar->addWidget(m_profileBox);
    bar->addSeparator();
    auto *backup = bar->addAction(QIcon(QStringLiteral(":/icons/backup.svg")), tr("Back up now…"));
    backup->setShortcut(QKeySequence(tr("Ctrl+B")));
    backup->setToolTip(tr("Back up the current profile now (Ctrl+B)"));
    connect(backup, &QAction::triggered, this, &MainWindow::openBackupDialog);
    connect(m_profileBox, &QComboBox::currentIndexChanged, this,
            [this] { m_ctx->setCurrentProfile(m_profileBox->currentData().toString()); });
}

void MainWindow::buildStatusBar() {
    m_keychainLabel = new QLabel(this);
    m_jobsLabel = new QLabel(this);
    m_keychainLabel->setAccessibleName(tr("Keychain status"));
    m_jobsLabel->setAccessibleName(tr("Running jobs"));
    statusBar()->addPermanentWidget(m_jobsLabel);
    statusBar()->addPermanentWidget(m_keychainLabel);
}

void MainWindow::buildTray() {
    m_trayCtl = new TrayController(m_ctx, this);
    connect(m_trayCtl, &TrayController::openRequested, this, &MainWindow::showFromTray);
    connect(m_trayCtl, &TrayController::quitRequested, this, &MainWindow::quitApp);
}

void MainWindow::buildMenu() {
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *backup = file->addAction(QIcon(QStringLiteral(":/icons/backup.svg")), tr("&Back up now…"));
    connect(backup, &QAction::triggered, this, &MainWindow::openBackupDialog);
    file->addSeparator();
    file->addAction(m_trayCtl->keepInTrayAction());
    file->addAction(m_trayCtl->pauseAction());
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setObjectName(QStringLiteral("quitAction"));
    connect(quit, &QAction::triggered, this, &MainWindow::quitApp);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    // The welcome page stays reachable once things are configured (it has the sandbox and the add buttons).
    QAction *start = help->addAction(tr("&Getting started"));
    start->setObjectName(QStringLiteral("gettingStartedAction"));
    connect(start, &QAction::triggered, this, [this] { showPage(FirstRun); });
    QAction *about = help->addAction(QIcon(QStringLiteral(":/icons/lifeboat.svg")), tr("&About Lifeboat"));
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this] { AboutDialog::show(this); });
}

TrayScheduleRunner *MainWindow::scheduleRunner() const {
    return m_trayCtl->runner();
}

void MainWindow::showFromTray() {
    showNormal();
    raise();
    activateWindow();
}

void MainWindow::quitApp() {
    m_quitting = true;
    if (!isVisible()) {
        // Hidden in the tray: the confirmation needs the window.
        if (m_ctx->jobs()->activeCount() > 0)
            showFromTray();
    }
    close();
}

void MainWindow::updateProfiles() {
    QSignalBlocker block(m_profileBox);
    m_profileBox->clear();
    for (const Profile &p : m_ctx->config().profiles())
        m_profileBox->addItem(QIcon(QStringLiteral(":/icons/server.svg")), p.name, p.name);
    if (m_profileBox->count() == 0)
        m_profileBox->addItem(tr("(no profile yet)"), QString());
    const int i = m_profileBox->findData(m_ctx->currentProfile());
    m_profileBox->setCurrentIndex(i < 0 ? 0 : i);
    m_profileBox->setEnabled(!m_ctx->config().profiles().isEmpty());
}

void MainWindow::updateJobsStatus() {
    const int n = m_ctx->jobs()->activeCount();
    m_jobsLabel->setText(n ? tr("%n job(s) running", nullptr, n) : tr("No jobs running"));
}

void MainWindow::updateKeychainStatus() {
    if (!m_ctx->keychainKnown()) {
        m_keychainLabel->setText(tr("Keychain: checking…"));
        return;
    }
    const KeychainStatus s = m_ctx->keychain();
    m_keychainLabel->setText(s.available() ? tr("Keychain: available") : tr("Keychain: not available"));
    m_keychainLabel->setToolTip(s.message);
}

void MainWindow::updateFirstRun() {
    // Leave the welcome page when the setup becomes complete, not whenever the configuration changes: an operator
    // who opened it from Help ▸ Getting started to add a second storage stays on it.
    const bool configured = m_ctx->isConfigured();
    if (configured && !m_wasConfigured && currentPage() == FirstRun)
        showPage(Dashboard);
    m_wasConfigured = configured;
}

MainWindow::Page MainWindow::currentPage() const {
    return Page(m_pages.indexOf(m_stack->currentWidget()));
}

QWidget *MainWindow::pageWidget(Page page) const {
    return m_pages.value(page);
}

void MainWindow::showPage(Page page) {
    // While nothing is configured the dashboard has nothing to show: the welcome page takes its place.
    if (page == Dashboard && !m_ctx->isConfigured())
        page = FirstRun;
    m_stack->setCurrentWidget(m_pages.value(page));
    QSignalBlocker block(m_nav);
    m_nav->setCurrentRow(page == FirstRun ? -1 : int(page));
    setWindowTitle(tr("%1 — Lifeboat").arg(pageName(page)));
}

BackupNowDialog *MainWindow::backupDialog() const {
    return findChild<BackupNowDialog *>();
}

BackupNowDialog *MainWindow::openBackupDialog() {
    if (m_ctx->config().profiles().isEmpty() || m_ctx->config().storages().isEmpty()) {
        MessageBox::information(this, tr("Back up now"),
                                tr("Add a server profile and a storage first (Settings, or the welcome page)."));
        return nullptr;
    }
    if (BackupNowDialog *open = backupDialog()) {
        open->raise();
        return open;
    }
    auto *d = new BackupNowDialog(m_ctx, m_ctx->currentProfile(), this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &BackupNowDialog::started, this, [this] {
        showPage(Jobs);
        statusBar()->showMessage(tr("Backup started."), 5000);
    });
    d->open();
    return d;
}

void MainWindow::restoreState() {
    QSettings s(m_ctx->home() + QStringLiteral("/gui.ini"), QSettings::IniFormat);
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1180, 760);
}

void MainWindow::closeEvent(QCloseEvent *event) {
    QSettings s(m_ctx->home() + QStringLiteral("/gui.ini"), QSettings::IniFormat);
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    if (!m_quitting && m_trayCtl->keepInTray()) {
        // Closing the window is not quitting: schedules and running jobs go on in the tray.
        event->ignore();
        hide();
        if (!m_toldHidden) {
            m_toldHidden = true;
            m_trayCtl->notify(tr("Lifeboat is still running"),
                              tr("Scheduled backups keep running. Quit from the tray menu or File ▸ Quit."), false);
        }
        return;
    }
    const int running = m_ctx->jobs()->activeCount();
    if (running > 0 && !m_quitConfirmed) {
        event->ignore();
        MessageBox::question(this, tr("Quit Lifeboat"),
                             tr("%n job(s) still running. Quitting cancels them; cancelled backups are not kept. "
                                "Quit anyway?",
                                nullptr, running),
                             [this](bool yes) {
                                 if (!yes) {
                                     m_quitting = false;
                                     return;
                                 }
                                 m_quitConfirmed = true;
                                 close();
                             });
        return;
    }
    m_trayCtl->runner()->stop();
    m_trayCtl->capture()->stop();
    m_trayCtl->hideIcon();
    QMainWindow::closeEvent(event);
    // With the tray setting on, the last window closing does not end the app by itself.
    if (!QGuiApplication::quitOnLastWindowClosed())
        QMetaObject::invokeMethod(qApp, &QCoreApplication::quit, Qt::QueuedConnection);
}

void MainWindow::changeEvent(QEvent *event) {
    // Light/dark switch at runtime: the chart takes its colours from the palette.
    if (event->type() == QEvent::PaletteChange)
        m_dashboard->refresh();
    QMainWindow::changeEvent(event);
}

} // namespace lifeboat
