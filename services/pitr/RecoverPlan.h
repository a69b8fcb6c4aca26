#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/BaseBackupInfo.h"
#include "catalog/WalFileRecord.h"
#include "core/ExitCode.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace lifeboat {

// Where `recover` should stop.
struct RecoverTarget {
    enum class Kind { Latest, Time, Lsn, Xid, Name };
    Kind kind = Kind::Latest;
    QDateTime time;
    QString value; // LSN, xid or restore point name

    // "--to 2026-12-06T10:00:00Z", "--to-lsn 0/3000060" …; error when the text is not one.
    static RecoverTarget parse(Kind kind, const QString &text, QString *error);
    QString describe() const;
    // The recovery_target_* setting line(s) for postgresql.auto.conf (none for latest).
    QStringList settings() const;
};

// One base backup and its WAL range, as the catalog has them.
struct BaseBackupEntry {
    BackupRecord record;
    BaseBackupInfo info;
};

// The decision `recover` makes before anything is written (pure, so it is tested without servers): which base
// backup, which archived segments replay will fetch after the backup's own WAL, where the archive ends, and the
// recoverable window. A target before the oldest base backup's end, after the end of the archived WAL, or behind a
// missing segment is refused (exit 6) with the window — and the missing segment — in the message.
struct RecoverPlan {
    BaseBackupEntry base;
    qint64 segmentSize = 16 * 1024 * 1024;
    QStringList segments;  // archived segments after the backup's own WAL, in replay order, up to what is needed
    QStringList archive;   // every contiguous archived segment after the backup's own WAL (what replay may read)
    QString partial;       // a partial upload replay ends with, or empty
    QString endPartial;    // the partial after the contiguous archive, whether or not the target needs it
    QStringList histories; // timeline history files in the archive
    QDateTime windowStart; // the oldest base backup's end
    QDateTime windowEnd;   // the newest contiguous WAL in the archive (its upload time)
    QString lastSegment;   // the newest contiguous archived segment (or the base backup's own last one)
    QString missing;       // the first missing segment after which more WAL exists, or empty
    Error refusal;

    static RecoverPlan make(QList<BaseBackupEntry> bases, const QList<WalFileRecord> &wal, const RecoverTarget &target);

    QString windowText() const;
    // After promotion: what replay did not reach of the WAL this plan counted on, or empty. `redoDone` is the
    // server's "redo done at" LSN (empty when it logged none), `restored` the files restore_command delivered. A
    // replay ending before the last archived segment (or the partial after it) means a file was not delivered and
    // the server promoted early.
    QString replayShortfall(const QString &redoDone, const QStringList &restored) const;
    QJsonObject toJson() const;

    // The segment size the base backup's start LSN and segment name agree on (16 MiB unless they say otherwise).
    static qint64 inferSegmentSize(const QString &startLsn, const QString &startWalFile);
    static quint64 segmentNumber(const QString &segment, qint64 segmentSize);
    static QString segmentName(quint32 timeline, quint64 number, qint64 segmentSize);
};

} // namespace lifeboat
