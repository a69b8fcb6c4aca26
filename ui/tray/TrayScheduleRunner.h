#pragma once

#include "catalog/ConfigStore.h"
#include "catalog/ScheduleRecord.h"
#include "jobs/Job.h"
#include "notify/Notification.h"
#include "ops/MissedBackups.h"
#include "ops/StorageLow.h"
#include "ops/WalCapture.h"
#include "schedule/DueRunner.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>

namespace lifeboat {

class AppContext;

// The desktop app's schedule runner: what `lifeboatctl run-due` does, while the app runs (window shown or hidden
// in the tray). Every interval (45 s; and at start, so runs missed while the machine slept or the app was closed
// are caught up once, as run-due does) it claims due schedules through DueRunner on the catalog thread — the same
// lock as run-due, so a GUI and a headless runner never both run one — starts each as a tracked backup job
// (database profiles through AppContext::startBackup; base, file and Redis sources and drills as SourceJobBuilder
// builds them with the ops use cases, through AppContext::submitJob; visible on the Jobs page), and when the job ends
// records the run, releases the lock, applies retention and notifies (channels on a worker; the desktop through
// desktopNotification()). It does not depend on a tray icon existing: on a desktop without a system tray it runs the
// same.
class TrayScheduleRunner : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;
    static constexpr int kDefaultIntervalMs = 45000;

    explicit TrayScheduleRunner(AppContext *ctx, QObject *parent = nullptr);
    ~TrayScheduleRunner() override;

    // The time source (default: the real clock). Tests pin it to an instant, as run-due --as-of does.
    void setClock(Clock clock) { m_clock = std::move(clock); }
    QDateTime now() const { return m_clock(); }
    void setInterval(int ms) { m_timer.setInterval(ms); }
    int interval() const { return m_timer.interval(); }
    void start();
    void stop() { m_timer.stop(); }
    bool isRunning() const { return m_timer.isActive(); }
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    int ticks() const { return m_ticks; } // timer firings so far
    int activeRuns() const { return int(m_active.size()); }
    QString owner() const { return m_owner; }

    // Sends to the configured channels (webhook, e-mail) on a worker; failures come back as problem().
    void sendToChannels(const Notification &n);
    // backup.missed: to the channels and the desktop, each miss once (the settings key run-due uses too).
    void tellMisses(const QList<MissedBackups::Miss> &misses);
    void tellStorageLow(const QList<StorageLow::Low> &lows);
    // wal.lag, wal.gap, wal.slot (ops/WalCapture): each occurrence once, the settings key run-due uses too.
    void tellWalCapture(const QList<WalCapture::Alert> &alerts, const QStringList &ongoing);
    // The desktop rule: failures and stalls always; a success when the desktopNotify setting is "always" or a
    // channel covering the profile is set to "always" (the source's notification setting).
    static bool wantsDesktop(const QList<NotifierRecord> &channels, const ConfigStore &config, const Notification &n);
    // Desktop text: never a secret (conninfo passwords, URL credentials, keys are removed).
    static QString safeText(const QString &text);

public slots:
    void checkNow();

signals:
    void passFinished(int started);
    void runStarted(const QString &schedule, lifeboat::Job *job);
    void runFinished(const QString &schedule, const QString &status, qint64 recordId, int pruned);
    void desktopNotification(const QString &title, const QString &text, bool failure);
    void problem(const QString &message);
    void pausedChanged(bool paused);

private slots:
    // logind's PrepareForSleep(false): the machine just woke up; runs missed while it slept are due now.
    void onPrepareForSleep(bool sleeping);

private:
    struct Active {
        DueRunner::Claim claim;
        QDateTime now;
        Job *job = nullptr;
    };
    struct Launch {
        DueRunner::Claim claim;
        QStringList storages;
    };
    struct Pass {
        QList<Launch> launches;
        QStringList problems;
        QList<MissedBackups::Miss> misses; // every current backup.missed; told once (settings missedBackupAlerts)
        QList<StorageLow::Low> lows;       // every local storage low on space; told once (storageLowAlerts)
    };
    struct WalAlerts {
        QList<WalCapture::Alert> alerts;
        QStringList ongoing; // WalCapture::ongoing: occurrences remembered while they last
    };
    struct Done {
        DueRunner::Run run;
        DueRunner::PruneResult prune;
        QList<NotifierRecord> channels;
    };

    void onTick();
    void launch(const Launch &l, const QDateTime &now);
    // File and Redis sources: secrets read on a worker, the job built here by DueRunner and submitted as it is.
    void launchSource(const Launch &l, const QDateTime &now);
    void started(const QString &schedule, Job *job, const QString &error);
    void complete(const QString &schedule, const JobResult &result);
    bool keychainUsable() const;
    // Continuous capture's health on a worker (it may ask each server, up to seconds each), then told.
    void checkWalCapture(const QDateTime &now);

    AppContext *m_ctx;
    QTimer m_timer;
    Clock m_clock;
    QString m_owner;
    bool m_paused = false;
    bool m_checking = false;
    int m_ticks = 0;
    QHash<QString, Active> m_active; // by schedule name
};

} // namespace lifeboat
