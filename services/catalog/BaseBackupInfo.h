#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace lifeboat {

// What a base backup (record kind "base", `lifeboatctl basebackup`) covers in WAL terms, from the server's own
// backup_label and backup_manifest in the stream: recovery starts replay at startLsn on `timeline` and is
// consistent once it has replayed to stopLsn. Kept in the catalog (migration 11, table base_backups) and in the
// manifest ("baseBackup"), so a rebuilt catalog knows it too.
struct BaseBackupInfo {
    qint64 backupId = 0;
    int timeline = 0;
    QString startLsn; // "0/2000028"
    QString stopLsn;
    QString startWalFile; // 000000010000000000000002: the first segment replay needs
    QDateTime startTime;  // the server's START TIME in backup_label
    QDateTime stopTime;   // when pg_basebackup finished (an upper bound of the consistent point)
    QString systemIdentifier;
    int pgMajor = 0;

    bool isValid() const { return timeline > 0 && !startLsn.isEmpty() && !stopLsn.isEmpty(); }

    // "X/Y" → the 64-bit position; -1 when it is not an LSN.
    static qint64 parseLsn(const QString &lsn);
    static QString formatLsn(qint64 pos);

    QJsonObject toJson() const;
    static BaseBackupInfo fromJson(const QJsonObject &o);
};

} // namespace lifeboat
