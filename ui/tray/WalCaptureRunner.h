#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>

class QProcess;
class QTimer;

namespace lifeboat {

class AppContext;

// Continuous protection while the desktop app runs: one `lifeboatctl wal receive PROFILE` child per profile marked
// continuous (Profile::continuous) — the same receiver a systemd unit runs (`schedule install --systemd
// --wal-receive`), with its replication slot, spool, lock and reconnects, so the app adds no second capture path. The
// child reads the server's password from the secret store itself: no secret passes through argv or the environment.
//
// A child that exits is started again after a backoff (5 s, doubling to 5 min; back to 5 s after it ran for 5
// minutes). When a receiver already runs for the profile elsewhere (a systemd unit holds the spool's lock) the
// child's refusal is shown as "captured by another receiver" and retried at the slow pace. Settings changes
// (continuous on/off, the partial-upload interval) apply at once. stop() sends SIGTERM (the receiver then stores
// what it received) and waits a bounded time at quit.
class WalCaptureRunner : public QObject {
    Q_OBJECT
public:
    explicit WalCaptureRunner(AppContext *ctx, QObject *parent = nullptr);
    ~WalCaptureRunner() override;

    // Starts receivers for the continuous profiles and follows configuration changes.
    void start();
    // Ends every receiver (SIGTERM; waits up to waitMs in total).
    void stop(int waitMs = 10000);

    bool isCapturing(const QString &profile) const; // a receiver process runs for it
    QString status(const QString &profile) const;   // one line for the operator: running since, or the last error
    QStringList profiles() const;                   // those a receiver is kept for
    void setBackoffForTests(int firstMs) { m_firstBackoffMs = firstMs; }

signals:
    void statusChanged(const QString &profile);

private:
    struct Receiver {
        std::unique_ptr<QProcess> process;
        std::unique_ptr<QTimer> restart;
        int partialUpload = 60;
        int backoffMs = 0;
        QDateTime startedAt;
        QString lastLine;
        QString status;
    };

    void sync();
    void launch(const QString &profile);
    void finished(const QString &profile);
    void end(Receiver &r, int waitMs);

    AppContext *m_ctx;
    QString m_ctl;
    bool m_started = false;
    int m_firstBackoffMs = 5000;
    std::map<QString, Receiver> m_receivers;
};

} // namespace lifeboat
