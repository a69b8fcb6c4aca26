#pragma once

#include "core/ExitCode.h"
#include "pg/Conninfo.h"
#include "wal/WalArchiver.h"

#include <QDateTime>
#include <QHash>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

class QProcess;

namespace lifeboat {

class PgPassFile;

// `wal receive`: streams the server's WAL with pg_receivewal (the replication protocol, a physical replication slot
// that keeps the position across restarts) into a private spool directory, and hands every finished segment and
// history file to WalArchiver (stored everywhere, recorded, then deleted from the spool); every partialInterval it
// uploads the segment being filled as a partial when it grew. pg_receivewal is restarted with backoff when it exits
// (server restart, network loss). stop (SIGTERM/SIGINT) ends pg_receivewal, uploads what is in the spool and
// returns. A killed receiver loses nothing: the slot still holds the WAL not yet received, the spool keeps what was
// received but not stored, and a push of a stored segment is idempotent.
class WalReceiver {
public:
    struct Setup {
        QString profile;
        Conninfo conninfo;
        QString password;
        QString spoolDir;
        QString slot;
        int partialIntervalSeconds = 60;
        qint64 warnRetainedBytes = 1024LL * 1024 * 1024;
        QString pgToolDir;
        std::unique_ptr<WalArchiver> archiver;
    };

    explicit WalReceiver(Setup setup);
    ~WalReceiver();

    // Runs until *stop becomes true (checked several times a second); returns the error that ended it, or none.
    Error run(const std::atomic<bool> *stop);
    void setLog(std::function<void(const QString &)> log) { m_log = std::move(log); }

    // What the receiver runs with, beside its spool (SPOOL.receiver.json): partialUploadSeconds (0: only at stop),
    // warnRetainedBytes, slot, and currentAt — when it last found storage holding everything pg_receivewal had
    // written, at a partial-upload check while pg_receivewal runs. The capture alerts (ops/WalCapture) judge lag and
    // slot by it, and tell an idle server (nothing new to store, still confirmed) from a receiver that cannot store.
    static QString statusPath(const QString &spoolDir) { return spoolDir + QStringLiteral(".receiver.json"); }

    // A slot name for a profile: lifeboat_<profile> in the characters slot names allow.
    static QString defaultSlot(const QString &profile);

private:
    bool prepare(Error *error);
    bool startReceiver(Error *error);
    void stopReceiver();
    // Stores finished files; uploads the partial when due (or when `final`). Returns false when a store failed.
    bool drainSpool(bool final);
    void checkSlot();
    void writeStatus(const QDateTime &currentAt) const;
    void log(const QString &line) const {
        if (m_log)
            m_log(line);
    }

    Setup m_setup;
    std::function<void(const QString &)> m_log;
    QString m_receivewal;
    std::unique_ptr<PgPassFile> m_passFile;
    std::unique_ptr<QProcess> m_process;
    QDateTime m_lastPartialUpload;
    QHash<QString, QByteArray> m_partialUploaded; // partial name -> SHA-256 of the bytes last uploaded
    QDateTime m_lastSlotCheck;
    bool m_retentionWarned = false;
};

} // namespace lifeboat
