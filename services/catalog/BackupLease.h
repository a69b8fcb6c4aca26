#pragma once

#include <QDateTime>
#include <QString>

namespace lifeboat {

// A claim on one backup while an operation reads it (restore, verify, download, files restore) or removes it
// (delete). Kept in the catalog (schema 7), so every workstation and runner sharing the catalog sees it: `delete`
// and `prune` refuse a backup someone is reading, and a reader refuses a backup that is being deleted. A lease ends
// when its operation ends; one left by a crashed process counts as gone once its process is dead (same host) or it
// has expired (another host).
struct BackupLease {
    qint64 id = 0;
    qint64 backupId = 0;
    QString operation; // "restore" | "verify" | "download" | "files restore" | "files verify" | "delete"
    QString host;
    qint64 pid = 0;
    QDateTime started;
    QDateTime expires;

    // "restore on host ws1 (pid 4242) since 2026-12-06 01:02:03 UTC"
    QString describe() const {
        return QStringLiteral("%1 on host %2 (pid %3) since %4 UTC")
            .arg(operation, host)
            .arg(pid)
            .arg(started.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    }
};

} // namespace lifeboat
