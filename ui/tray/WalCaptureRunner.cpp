#include "ui/tray/WalCaptureRunner.h"

#include "catalog/ConfigStore.h"
#include "ui/AppContext.h"
#include "ui/tray/CtlLocator.h"

#include <QDeadlineTimer>
#include <QLocale>
#include <QProcess>
#include <QTimer>

namespace lifeboat {

namespace {
constexpr int kMaxBackoffMs = 5 * 60 * 1000;
constexpr qint64 kHealthyRunSeconds = 5 * 60;
} // namespace

WalCaptureRunner::WalCaptureRunner(AppContext *ctx, QObject *parent)
    : QObject(parent)
    , m_ctx(ctx) {}

WalCaptureRunner::~WalCaptureRunner() {
    stop(3000);
}

void WalCaptureRunner::start() {
    if (m_started)
        return;
    m_started = true;
    m_ctl = CtlLocator::path();
    connect(m_ctx, &AppContext::configChanged, this, &WalCaptureRunner::sync);
    sync();
}

void WalCaptureRunner::sync() {
    if (!m_started)
        return;
    QHash<QString, int> wanted; // profile -> partial-upload seconds
    for (const Profile &p : m_ctx->config().profiles())
        if (p.continuous)
            wanted.insert(p.name, p.partialUploadSeconds > 0 ? p.partialUploadSeconds : 60);
    for (auto it = m_receivers.begin(); it != m_receivers.end();) {
        const QString name = it->first;
        if (!wanted.contains(name) || wanted.value(name) != it->second.partialUpload) {
            end(it->second, 5000);
            it = m_receivers.erase(it);
            emit statusChanged(name);
        } else {
            ++it;
        }
    }
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        if (m_receivers.count(it.key()))
            continue;
        Receiver &r = m_receivers[it.key()];
        r.partialUpload = it.value();
        r.backoffMs = m_firstBackoffMs;
        launch(it.key());
    }
}

void WalCaptureRunner::launch(const QString &profile) {
    auto found = m_receivers.find(profile);
    if (found == m_receivers.end())
        return;
    Receiver &r = found->second;
    if (m_ctl.isEmpty()) {
        r.status = tr("not capturing: lifeboatctl was not found (install it beside the app or on PATH)");
        emit statusChanged(profile);
        return;
    }
    r.process = std::make_unique<QProcess>();
    r.process->setProgram(m_ctl);
    r.process->setArguments({QStringLiteral("--home"), m_ctx->home(), QStringLiteral("wal"), QStringLiteral("receive"),
                             profile, QStringLiteral("--partial-upload"), QString::number(r.partialUpload)});
    r.process->setStandardInputFile(QProcess::nullDevice());
    r.process->setStandardOutputFile(QProcess::nullDevice());
    // The receiver logs one line per event on stderr; the last one is what the operator needs after an exit.
    connect(r.process.get(), &QProcess::readyReadStandardError, this, [this, profile] {
        auto f = m_receivers.find(profile);
        if (f == m_receivers.end() || !f->second.process)
            return;
        const QList<QByteArray> lines = f->second.process->readAllStandardError().trimmed().split('\n');
        if (!lines.isEmpty() && !lines.last().trimmed().isEmpty())
            f->second.lastLine = QString::fromUtf8(lines.last().trimmed());
    });
    connect(r.process.get(), &QProcess::finished, this, [this, profile] { finished(profile); });
    connect(r.process.get(), &QProcess::errorOccurred, this, [this, profile](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            finished(profile);
    });
    r.startedAt = QDateTime::currentDateTimeUtc();
    r.status = tr("capturing since %1").arg(QLocale().toString(r.startedAt.toLocalTime(), QLocale::ShortFormat));
    r.process->start();
    emit statusChanged(profile);
}

void WalCaptureRunner::finished(const QString &profile) {
    auto found = m_receivers.find(profile);
    if (found == m_receivers.end() || !found->second.process)
        return;
    Receiver &r = found->second;
    // Called from the process's own signal: let it finish delivering before it goes.
    QProcess *done = r.process.release();
    done->deleteLater();
    if (r.startedAt.secsTo(QDateTime::currentDateTimeUtc()) >= kHealthyRunSeconds)
        r.backoffMs = m_firstBackoffMs;
    const QString why = r.lastLine.isEmpty() ? done->errorString() : r.lastLine;
    r.status = why.contains(QLatin1String("another `wal receive"))
                   ? tr("captured by another receiver (%1); checking again later").arg(why)
                   : tr("receiver stopped: %1 — restarting in %2 s").arg(why).arg(r.backoffMs / 1000);
    if (why.contains(QLatin1String("another `wal receive")))
        r.backoffMs = kMaxBackoffMs;
    if (!r.restart) {
        r.restart = std::make_unique<QTimer>();
        r.restart->setSingleShot(true);
        connect(r.restart.get(), &QTimer::timeout, this, [this, profile] { launch(profile); });
    }
    r.restart->start(r.backoffMs);
    r.backoffMs = std::min(r.backoffMs * 2, kMaxBackoffMs);
    emit statusChanged(profile);
}

void WalCaptureRunner::end(Receiver &r, int waitMs) {
    if (r.restart)
        r.restart->stop();
    if (!r.process)
        return;
    QProcess *p = r.process.get();
    p->disconnect(this);
    if (p->state() != QProcess::NotRunning) {
        p->terminate();
        if (!p->waitForFinished(waitMs)) {
            p->kill(); // the slot keeps the position; the spool keeps what was received
            p->waitForFinished(2000);
        }
    }
    r.process.reset();
}

void WalCaptureRunner::stop(int waitMs) {
    m_started = false;
    disconnect(m_ctx, &AppContext::configChanged, this, &WalCaptureRunner::sync);
    // SIGTERM to all first, so they store their spools in parallel; then wait for each within one deadline.
    for (auto &[name, r] : m_receivers) {
        if (r.restart)
            r.restart->stop();
        if (r.process && r.process->state() != QProcess::NotRunning) {
            r.process->disconnect(this);
            r.process->terminate();
        }
    }
    const QDeadlineTimer deadline(waitMs);
    for (auto &[name, r] : m_receivers)
        end(r, int(std::max<qint64>(deadline.remainingTime(), 0)));
    m_receivers.clear();
}

bool WalCaptureRunner::isCapturing(const QString &profile) const {
    const auto found = m_receivers.find(profile);
    return found != m_receivers.end() && found->second.process &&
           found->second.process->state() != QProcess::NotRunning;
}

QString WalCaptureRunner::status(const QString &profile) const {
    const auto found = m_receivers.find(profile);
    return found == m_receivers.end() ? QString() : found->second.status;
}

QStringList WalCaptureRunner::profiles() const {
    QStringList out;
    for (const auto &[name, r] : m_receivers)
        out << name;
    return out;
}

} // namespace lifeboat
