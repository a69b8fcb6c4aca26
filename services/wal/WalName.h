#pragma once

#include <QString>

#include <optional>

namespace lifeboat {

// The names PostgreSQL gives WAL files and where Lifeboat stores them (docs/architecture.md "Continuous
// archiving"): under a storage's prefix, wal/<profile>/<TLI>/<SEGMENT>.zst[.age] for a segment,
// wal/<profile>/<TLI>/<SEGMENT>.partial.zst[.age] for the segment being filled, wal/<profile>/<TLI>.history.zst[.age]
// for a timeline history file and wal/<profile>/<TLI>/<SEGMENT>.<OFFSET>.backup.zst[.age] for a backup history file.
struct WalName {
    QString name; // 000000010000000000000003 (also for a partial), 00000002.history, ….backup
    QString kind; // segment | partial | history | backup
    quint32 timeline = 0;

    // A file name as PostgreSQL passes it (%f, or the base name of %p); nullopt for anything else.
    static std::optional<WalName> parse(const QString &fileName);
    // The base name of a stored object (…​.zst or …​.zst.age); *encrypted says which.
    static std::optional<WalName> parseStored(const QString &objectName, bool *encrypted);

    // The file name PostgreSQL uses: a partial is <SEGMENT>.partial.
    QString fileName() const;
    // Relative to the storage's root: wal/<profile>/… as above.
    QString relativePath(const QString &profile, bool encrypted) const;
    static QString profileDir(const QString &profile) { return QStringLiteral("wal/") + profile + QLatin1Char('/'); }

    static bool isSegmentName(const QString &s);
    // The segment's position in the WAL stream: log * (4 GiB / segmentSize) + seg. segmentSize in bytes.
    static quint64 segmentNumber(const QString &segment, qint64 segmentSize);
    static QString segmentName(quint32 timeline, quint64 number, qint64 segmentSize);
    // The LSN where a segment starts, "X/Y" like pg_lsn.
    static QString startLsn(const QString &segment, qint64 segmentSize);
};

} // namespace lifeboat
