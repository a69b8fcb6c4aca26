#include "ui/tray/TrayController.h"

#include "models/JobListModel.h"
#include "notify/Notification.h"
#include "schedule/DueRunner.h"
#include "ui/AppContext.h"
#include "ui/tray/TrayScheduleRunner.h"
#include "ui/tray/WalCaptureRunner.h"

#include <QAction>
#include <QGuiApplication>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QWidget>

namespace lifeboat {

TrayController::TrayController(AppContext *ctx, QWidget *window)
    : QObject(window)
    , m_ctx(ctx)
    , m_window(window)
    , m_runner(new TrayScheduleRunner(ctx, this))
    , m_capture(new WalCaptureRunner(ctx, this))
    , m_menu(new QMenu(window)) {
    m_menu->addAction(tr("Open Lifeboat"), this, &TrayController::openRequested);
    m_backupMenu = m_menu->addMenu(QIcon(QStringLiteral(":/icons/backup.svg")), tr("Back up now"));
    m_pause = m_menu->addAction(tr("Pause schedules"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("While paused, this app starts no scheduled backup (lifeboatctl run-due still does)."));
    connect(m_pause, &QAction::toggled, m_runner, &TrayScheduleRunner::setPaused);
    connect(m_runner, &TrayScheduleRunner::pausedChanged, m_pause, &QAction::setChecked);
    m_keep = new QAction(tr("Keep running in the tray"), this);
    m_keep->setCheckable(true);
    m_keep->setToolTip(tr("Closing the window hides it; schedules keep running until you quit."));
    m_menu->addAction(m_keep);
    m_menu->addSeparator();
    m_menu->addAction(tr("Quit Lifeboat"), this, &TrayController::quitRequested);
    connect(m_keep, &QAction::toggled, this, [this](bool on) {
        if (on != keepInTray())
            setKeepInTray(on);
    });

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_icon = new QSystemTrayIcon(window->windowIcon(), this);
        m_icon->setToolTip(tr("Lifeboat"));
        m_icon->setContextMenu(m_menu);
        connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
            if (r == QSystemTrayIcon::Trigger || r == QSystemTrayIcon::DoubleClick)
                emit openRequested();
        });
        m_icon->show();
    }

    connect(m_runner, &TrayScheduleRunner::desktopNotification, this, &TrayController::notify);
    connect(m_ctx->jobs(), &JobListModel::jobStalled, this, [this](int row, const QString &message) {
        const QString profile = m_ctx->jobs()->index(row, 0).data(JobListModel::ProfileRole).toString();
        const QString text = TrayScheduleRunner::safeText(message);
        notify(tr("Job stalled"), text, true);
        Notification n;
        n.event = QStringLiteral("job.stalled");
        n.failure = true;
        n.profile = profile;
        n.subject = QStringLiteral("[Lifeboat] STALLED: %1").arg(m_ctx->jobs()->index(row, 0).data().toString());
        n.text = text;
        m_runner->sendToChannels(n);
    });
    // Jobs started by hand: failures always, successes when the desktopNotify setting says so. Scheduled runs are
    // notified by the runner once their run is recorded.
    connect(m_ctx->jobs(), &JobListModel::jobEnded, this, [this](int row, const JobResult &r) {
        const QModelIndex i = m_ctx->jobs()->index(row, 0);
        if (!i.data(JobListModel::ScheduleRole).toString().isEmpty())
            return;
        Notification n;
        n.failure = !r.ok() && r.error.code != ExitCode::Cancelled;
        n.profile = i.data(JobListModel::ProfileRole).toString();
        if (!n.failure && !TrayScheduleRunner::wantsDesktop({}, m_ctx->config(), n))
            return;
        if (!r.ok() && !n.failure)
            return; // cancelled by the user: they know
        notify(n.failure ? tr("Backup failed") : tr("Backup completed"),
               n.failure ? tr("%1: %2").arg(i.data().toString(), TrayScheduleRunner::safeText(r.error.message))
                         : tr("%1 finished (backup #%2).").arg(i.data().toString()).arg(r.recordId),
               n.failure);
    });
    connect(m_ctx->jobs(), &JobListModel::activeCountChanged, this, [this](int n) {
        if (m_icon)
            m_icon->setToolTip(n ? tr("Lifeboat — %n job(s) running", nullptr, n) : tr("Lifeboat"));
    });
    connect(m_ctx, &AppContext::configChanged, this, [this] {
        rebuildBackupMenu();
        applyKeepInTray();
        m_ctx->jobs()->setStallPolicy(DueRunner::stallLimitMs(m_ctx->config()),
                                      DueRunner::stallCancel(m_ctx->config()));
    });
    m_ctx->jobs()->setStallPolicy(DueRunner::stallLimitMs(m_ctx->config()), DueRunner::stallCancel(m_ctx->config()));
    rebuildBackupMenu();
    applyKeepInTray();
    m_runner->start();
    m_capture->start();
}

bool TrayController::keepInTray() const {
    const QString v = m_ctx->config().option(QStringLiteral("keepInTray"));
    if (v.isEmpty())
        return QSystemTrayIcon::isSystemTrayAvailable();
    return v == QLatin1String("true");
}

void TrayController::setKeepInTray(bool on) {
    QString err;
    m_ctx->updateConfig(
        [on](ConfigStore &c) {
            c.setOption(QStringLiteral("keepInTray"), on ? QStringLiteral("true") : QStringLiteral("false"));
        },
        &err);
    applyKeepInTray();
}

void TrayController::applyKeepInTray() {
    const bool on = keepInTray();
    // In the tray the app lives on after its last window closes; Quit ends it explicitly.
    QGuiApplication::setQuitOnLastWindowClosed(!on);
    QSignalBlocker block(m_keep);
    m_keep->setChecked(on);
}

void TrayController::hideIcon() {
    if (m_icon)
        m_icon->hide();
}

void TrayController::rebuildBackupMenu() {
    m_backupMenu->clear();
    const QList<Profile> profiles = m_ctx->config().profiles();
    m_backupMenu->setEnabled(!profiles.isEmpty() && !m_ctx->config().storages().isEmpty());
    for (const Profile &p : profiles) {
        m_backupMenu->addAction(p.name, this, [this, p] {
            BackupOptions options;
            m_ctx->startBackup(p.name, p.defaultStorages, options, p.recipients,
                               [this, name = p.name](Job *job, const QString &error) {
                                   if (job)
                                       notify(tr("Backup started"),
                                              tr("Backing up %1; see the Jobs page for progress.").arg(name), false);
                                   else
                                       notify(tr("Backup not started"), TrayScheduleRunner::safeText(error), true);
                               });
        });
    }
}

void TrayController::notify(const QString &title, const QString &text, bool failure) {
    if (m_ctx->config().option(QStringLiteral("desktopNotify")) == QLatin1String("off"))
        return; // the operator turned desktop notifications off; channels (mail, webhook) still go out
    m_lastTitle = title;
    m_lastText = text;
    ++m_count;
    if (m_icon)
        m_icon->showMessage(title, text, failure ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information, 10000);
    emit notified(title, text, failure);
}

} // namespace lifeboat
