#include "ui/tray/TrayScheduleRunner.h"

#include "catalog/RedisSourceConfig.h"
#include "jobs/JobRunner.h"
#include "models/Async.h"
#include "models/JobListModel.h"
#include "notify/NotificationDispatcher.h"
#include "secrets/KeychainCredentialStore.h"
#include "storage/Redact.h"
#include "ui/AppContext.h"
#include "ui/SourceJobBuilder.h"

#include <QDBusConnection>
#include <QGuiApplication>
#include <QRegularExpression>
#include <QSet>

namespace lifeboat {

namespace {
// Keychain reads block (D-Bus, maybe an unlock prompt): only from workers and the catalog thread.
QString keychainSecret(bool usable, const QString &key) {
    if (!usable)
        return {};
    KeychainCredentialStore store;
    return store.read(key).value_or(QString());
}
} // namespace

TrayScheduleRunner::TrayScheduleRunner(AppContext *ctx, QObject *parent)
    : QObject(parent)
    , m_ctx(ctx)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
    , m_owner(DueRunner::newOwner()) {
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &TrayScheduleRunner::onTick);
    connect(m_ctx->runner(), &JobRunner::jobFinished, this, [this](Job *job, const JobResult &result) {
        for (auto it = m_active.cbegin(); it != m_active.cend(); ++it) {
            if (it.value().job == job) {
                complete(it.key(), result);
                return;
            }
        }
    });
}

TrayScheduleRunner::~TrayScheduleRunner() {
    // Claims whose backup never started must not hold their lock until it expires. Jobs still running are
    // cancelled by the JobRunner; the lock of a dead process is released by the next runner on this host.
    for (const Active &a : std::as_const(m_active)) {
        if (!a.job) {
            (void)QtConcurrent::run(catalogPool(), [catalog = m_ctx->catalog(), name = a.claim.schedule.name,
                                                    owner = m_owner] { catalog->unlockSchedule(name, owner); });
        }
    }
}

void TrayScheduleRunner::start() {
    m_timer.start();
    // On resume: the interval timer is monotonic and does not count the sleep, so without this the first check
    // after waking could be up to an interval late. logind says when the machine wakes; elsewhere (no system bus)
    // the next tick or the app becoming active does it.
    QDBusConnection::systemBus().connect(QStringLiteral("org.freedesktop.login1"),
                                         QStringLiteral("/org/freedesktop/login1"),
                                         QStringLiteral("org.freedesktop.login1.Manager"),
                                         QStringLiteral("PrepareForSleep"), this, SLOT(onPrepareForSleep(bool)));
    connect(qGuiApp, &QGuiApplication::applicationStateChanged, this, [this](Qt::ApplicationState s) {
        if (s == Qt::ApplicationActive)
            checkNow();
    });
    // At start: runs missed while the app was closed or the machine slept are caught up (once) right away.
    QTimer::singleShot(2000, this, &TrayScheduleRunner::checkNow);
}

void TrayScheduleRunner::onPrepareForSleep(bool sleeping) {
    if (!sleeping)
        QTimer::singleShot(5000, this, &TrayScheduleRunner::checkNow); // let the network come back first
}

void TrayScheduleRunner::setPaused(bool paused) {
    if (paused == m_paused)
        return;
    m_paused = paused;
    emit pausedChanged(paused);
}

void TrayScheduleRunner::onTick() {
    ++m_ticks;
    checkNow();
}

bool TrayScheduleRunner::keychainUsable() const {
    return m_ctx->keychainKnown() && m_ctx->keychain().available();
}

void TrayScheduleRunner::checkNow() {
    if (m_paused || m_checking || !m_ctx->catalog())
        return;
    m_checking = true;
    const QDateTime now = m_clock();
    QSet<QString> running;
    for (auto it = m_active.cbegin(); it != m_active.cend(); ++it)
        running.insert(it.key());
    runAsync(
        this,
        [catalog = m_ctx->catalog(), config = m_ctx->config(), owner = m_owner, now, running] {
            Pass pass;
            DueRunner runner(catalog, config, owner);
            for (const ScheduleRecord &s : catalog->schedules()) {
                if (!s.enabled || running.contains(s.name))
                    continue;
                const DueRunner::Claim c = runner.claim(s, now);
                if (c.claimed())
                    pass.launches.append({c, runner.storagesFor(c.schedule)});
                else if (c.state == DueRunner::Claim::State::Error)
                    pass.problems << c.message;
            }
            pass.misses = MissedBackups::detect(catalog.get(), catalog->schedules(), now);
            pass.lows = StorageLow::detectAll(config, catalog.get(), now);
            return pass;
        },
        [this, now](const Pass &pass) {
            m_checking = false;
            for (const QString &p : pass.problems)
                emit problem(p);
            for (const Launch &l : pass.launches)
                launch(l, now);
            tellMisses(pass.misses);
            tellStorageLow(pass.lows);
            checkWalCapture(now);
            emit passFinished(int(pass.launches.size()));
        },
        catalogPool()); // claims and releases on one thread: one connection (PostgreSQL advisory locks)
}

void TrayScheduleRunner::launch(const Launch &l, const QDateTime &now) {
    const ScheduleRecord &s = l.claim.schedule;
    if (m_ctx->isBackupBusy(s.profile)) {
        // A backup of this source started by hand is running: give the lock back, the next pass tries again.
        (void)QtConcurrent::run(catalogPool(), [catalog = m_ctx->catalog(), name = s.name, owner = m_owner] {
            catalog->unlockSchedule(name, owner);
        });
        return;
    }
    m_active.insert(s.name, {l.claim, now, nullptr});
    if (s.sourceKind != QLatin1String("database")) {
        launchSource(l, now);
        return;
    }
    const auto profile = m_ctx->config().profile(s.profile);
    const QStringList recipients = profile ? profile->recipients : QStringList();
    m_ctx->startBackup(s.profile, l.storages, DueRunner::optionsFor(l.claim), recipients,
                       [this, name = s.name](Job *job, const QString &error) { started(name, job, error); });
}

void TrayScheduleRunner::launchSource(const Launch &l, const QDateTime &) {
    SourceJobBuilder::build(
        m_ctx, this, l.claim, m_owner, [this, claim = l.claim](std::unique_ptr<Job> job, const QString &error) {
            if (!m_active.contains(claim.schedule.name))
                return;
            if (!job)
                return started(claim.schedule.name, nullptr, error);
            started(claim.schedule.name, m_ctx->submitJob(std::move(job), claim.schedule.profile), QString());
        });
}

void TrayScheduleRunner::started(const QString &name, Job *job, const QString &error) {
    if (!m_active.contains(name))
        return;
    if (!job) {
        JobResult failed;
        failed.error = {ExitCode::Usage, error};
        complete(name, failed);
        return;
    }
    m_active[name].job = job;
    m_ctx->jobs()->setSchedule(job, name);
    emit runStarted(name, job);
}

void TrayScheduleRunner::complete(const QString &schedule, const JobResult &result) {
    const Active active = m_active.value(schedule);
    const DueRunner::Claim claim = active.claim;
    const bool keychain = keychainUsable();
    runAsync(
        this,
        [catalog = m_ctx->catalog(), config = m_ctx->config(), owner = m_owner, claim, result, now = active.now,
         keychain] {
            Done d;
            DueRunner runner(catalog, config, owner);
            d.run = runner.finish(claim, result, now);
            // Retention after each scheduled backup, as run-due does (a drill backs nothing up).
            if (d.run.recordId > 0 && !claim.schedule.isDrill())
                d.prune = runner.prune(claim.schedule.sourceKind, claim.schedule.profile, now,
                                       [keychain](const QString &storage) {
                                           return keychainSecret(keychain, CredentialStore::storageSecretKey(storage));
                                       });
            d.channels = catalog->notifiers();
            return d;
        },
        [this, schedule, claim, result](const Done &d) {
            m_active.remove(schedule);
            if (!d.run.warning.isEmpty())
                emit problem(d.run.warning);
            for (const QString &n : d.prune.notes)
                emit problem(QStringLiteral("retention: %1").arg(n));
            if (d.prune.error)
                emit problem(d.prune.error.message);
            if (claim.schedule.isDrill()) {
                const Notification n = DueRunner::drillNotification(claim.schedule, result, d.run.report);
                if (wantsDesktop(d.channels, m_ctx->config(), n))
                    emit desktopNotification(n.failure ? tr("Drill failed") : tr("Drill passed"), safeText(n.subject),
                                             n.failure);
                sendToChannels(n);
                emit m_ctx->catalogChanged(); // the backup's verification changed
                emit runFinished(schedule, d.run.status, d.run.recordId, 0);
                return;
            }
            const Notification n = DueRunner::notification(claim.schedule.profile, schedule, result.recordId,
                                                           result.error, result.details);
            if (wantsDesktop(d.channels, m_ctx->config(), n)) {
                const QString text =
                    n.failure ? tr("Scheduled backup “%1” of %2 failed: %3")
                                    .arg(schedule, claim.schedule.profile, safeText(result.error.message))
                              : tr("Scheduled backup “%1” of %2 completed (backup #%3%4).")
                                    .arg(schedule, claim.schedule.profile)
                                    .arg(result.recordId)
                                    .arg(d.prune.deleted > 0
                                             ? tr("; retention removed %n old backup(s)", nullptr, d.prune.deleted)
                                             : QString());
                emit desktopNotification(n.failure ? tr("Backup failed") : tr("Backup completed"), text, n.failure);
            }
            sendToChannels(n);
            if (d.prune.deleted > 0)
                emit m_ctx->catalogChanged();
            emit runFinished(schedule, d.run.status, d.run.recordId, d.prune.deleted);
        },
        catalogPool());
}

// The same rule and the same memory (the settings key) as run-due: a miss is told once per machine, by whichever
// runner sees it first.
void TrayScheduleRunner::tellMisses(const QList<MissedBackups::Miss> &misses) {
    const QString key = QLatin1String(MissedBackups::kSettingsKey);
    QStringList alerted = m_ctx->config().option(key).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList before = alerted;
    for (const MissedBackups::Miss &m : MissedBackups::untold(misses, &alerted)) {
        sendToChannels(m.notification);
        emit desktopNotification(tr("Backup missed"), safeText(m.notification.subject), true);
    }
    if (alerted == before)
        return;
    QString err;
    if (!m_ctx->updateConfig([&](ConfigStore &c) { c.setOption(key, alerted.join(QLatin1Char('\n'))); }, &err))
        emit problem(tr("Could not remember the missed-backup alert: %1").arg(err));
}

// As run-due: told once per crossing, remembered in the same settings key.
void TrayScheduleRunner::tellStorageLow(const QList<StorageLow::Low> &lows) {
    const QString key = QLatin1String(StorageLow::kSettingsKey);
    QStringList alerted = m_ctx->config().option(key).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList before = alerted;
    for (const StorageLow::Low &l : StorageLow::untold(lows, &alerted)) {
        sendToChannels(l.notification);
        emit desktopNotification(tr("Storage low on space"), safeText(l.notification.subject), true);
    }
    if (alerted == before)
        return;
    QString err;
    if (!m_ctx->updateConfig([&](ConfigStore &c) { c.setOption(key, alerted.join(QLatin1Char('\n'))); }, &err))
        emit problem(tr("Could not remember the storage-low alert: %1").arg(err));
}

void TrayScheduleRunner::checkWalCapture(const QDateTime &now) {
    const bool keychain = keychainUsable();
    runAsync(
        this,
        [catalog = m_ctx->catalog(), profiles = m_ctx->config().profiles(), home = m_ctx->home(), now, keychain] {
            WalAlerts out;
            for (const WalCapture::Health &h :
                 WalCapture::evaluateAll(catalog.get(), profiles, home, now, [keychain](const QString &profile) {
                     return keychainSecret(keychain, CredentialStore::profilePasswordKey(profile));
                 })) {
                out.alerts += WalCapture::alerts(h);
                out.ongoing += WalCapture::ongoing(h);
            }
            return out;
        },
        [this](const WalAlerts &out) { tellWalCapture(out.alerts, out.ongoing); });
}

// As run-due: each occurrence once, remembered in the same settings key.
void TrayScheduleRunner::tellWalCapture(const QList<WalCapture::Alert> &alerts, const QStringList &ongoing) {
    const QString key = QLatin1String(WalCapture::kSettingsKey);
    QStringList alerted = m_ctx->config().option(key).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList before = alerted;
    for (const WalCapture::Alert &a : WalCapture::untold(alerts, &alerted, ongoing)) {
        sendToChannels(a.notification);
        emit desktopNotification(tr("WAL capture"), safeText(a.notification.subject), true);
    }
    if (alerted == before)
        return;
    QString err;
    if (!m_ctx->updateConfig([&](ConfigStore &c) { c.setOption(key, alerted.join(QLatin1Char('\n'))); }, &err))
        emit problem(tr("Could not remember the WAL capture alert: %1").arg(err));
}

void TrayScheduleRunner::sendToChannels(const Notification &n) {
    const bool keychain = keychainUsable();
    runAsync(
        this,
        [catalog = m_ctx->catalog(), n, keychain] {
            const QList<NotifierRecord> channels = catalog->notifiers();
            return NotificationDispatcher::dispatch(
                channels, n, [keychain](const QString &key) { return keychainSecret(keychain, key); });
        },
        [this](const QStringList &problems) {
            for (const QString &p : problems)
                emit problem(tr("Notification not delivered: %1").arg(p));
        });
}

bool TrayScheduleRunner::wantsDesktop(const QList<NotifierRecord> &channels, const ConfigStore &config,
                                      const Notification &n) {
    if (n.failure)
        return true;
    if (config.option(QStringLiteral("desktopNotify")) == QLatin1String("always"))
        return true;
    for (const NotifierRecord &c : channels) {
        if (c.on == QLatin1String("always") && (c.profiles.isEmpty() || c.profiles.contains(n.profile)))
            return true;
    }
    return false;
}

QString TrayScheduleRunner::safeText(const QString &text) {
    QString t = Redact::text(text);
    static const QRegularExpression password(QStringLiteral("(password\\s*=\\s*)('[^']*'|\\S+)"),
                                             QRegularExpression::CaseInsensitiveOption);
    t.replace(password, QStringLiteral("\\1<redacted>"));
    static const QRegularExpression userinfo(QStringLiteral("(://[^:/@\\s]+):[^@\\s]+@"));
    t.replace(userinfo, QStringLiteral("\\1:<redacted>@"));
    return t;
}

} // namespace lifeboat
