#pragma once

#include "catalog/WalFileRecord.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace lifeboat {

// What the archive holds for a profile, from its wal_files rows (`wal status`, and `recover`/`check` through the
// same functions): per timeline the stored range, the segments missing inside it, the partial segment beyond it,
// and the newest stored time. A segment counts as stored when any storage holds it.
class WalWindow {
public:
    struct Timeline {
        quint32 timeline = 0;
        QString first;        // oldest stored segment
        QString last;         // newest stored segment
        int segments = 0;     // distinct segments stored
        QStringList missing;  // segments between first and last in no storage, oldest first (at most kMaxMissing)
        int missingCount = 0; // all of them
        QString partial;      // the newest partial segment after `last`, if any
        QDateTime partialStored;
        QDateTime newestStored; // newest row of this timeline (segment, partial or history)
        bool history = false;   // its TLI.history file is stored (every timeline after the first has one)
        QString endLsn;         // where the stored WAL ends: the end of `last` (a partial reaches further)
    };
    struct Report {
        QString profile;
        qint64 segmentSize = 16 * 1024 * 1024;
        QList<Timeline> timelines; // oldest first
        QDateTime newestStored;    // newest row of the profile
        int rows = 0;
    };
    static constexpr int kMaxMissing = 100;

    static Report compute(const QString &profile, const QList<WalFileRecord> &rows);
    // The first segment at or after `from` (same timeline) up to `to` that no storage holds; nullopt when every one
    // is stored. For recovery: is the WAL from a base backup's start to the target continuous?
    static std::optional<QString> firstMissing(const QList<WalFileRecord> &rows, const QString &from, const QString &to,
                                               qint64 segmentSize);
    // The end LSN of a segment ("X/Y"): where its successor starts.
    static QString segmentEndLsn(const QString &segment, qint64 segmentSize);
};

} // namespace lifeboat
