#include "wal/WalWindow.h"

#include "wal/WalName.h"

#include <QMap>
#include <QSet>

namespace lifeboat {

namespace {
qint64 segmentSizeOf(const QList<WalFileRecord> &rows) {
    // Complete segments are stored whole, so their plain size is the cluster's wal_segment_size.
    for (const WalFileRecord &r : rows)
        if (r.kind == QLatin1String("segment") && r.plainSize > 0)
            return r.plainSize;
    return 16 * 1024 * 1024;
}
} // namespace

QString WalWindow::segmentEndLsn(const QString &segment, qint64 segmentSize) {
    const quint64 end = (WalName::segmentNumber(segment, segmentSize) + 1) * static_cast<quint64>(segmentSize);
    return QStringLiteral("%1/%2").arg(end >> 32, 0, 16).arg(end & 0xFFFFFFFFu, 0, 16).toUpper();
}

WalWindow::Report WalWindow::compute(const QString &profile, const QList<WalFileRecord> &rows) {
    Report report;
    report.profile = profile;
    report.rows = rows.size();
    report.segmentSize = segmentSizeOf(rows);
    QMap<quint32, QSet<QString>> segments;
    QMap<quint32, Timeline> timelines;
    for (const WalFileRecord &r : rows) {
        Timeline &t = timelines[r.timeline];
        t.timeline = r.timeline;
        if (!t.newestStored.isValid() || r.stored > t.newestStored)
            t.newestStored = r.stored;
        if (!report.newestStored.isValid() || r.stored > report.newestStored)
            report.newestStored = r.stored;
        if (r.kind == QLatin1String("segment"))
            segments[r.timeline].insert(r.name);
        else if (r.kind == QLatin1String("history"))
            t.history = true;
    }
    for (auto it = timelines.begin(); it != timelines.end(); ++it) {
        Timeline &t = it.value();
        QStringList names = segments.value(t.timeline).values();
        names.sort();
        t.segments = names.size();
        if (!names.isEmpty()) {
            t.first = names.first();
            t.last = names.last();
            const quint64 a = WalName::segmentNumber(t.first, report.segmentSize);
            const quint64 b = WalName::segmentNumber(t.last, report.segmentSize);
            t.missingCount = static_cast<int>((b - a + 1) - static_cast<quint64>(names.size()));
            if (t.missingCount > 0) {
                const QSet<QString> have = segments.value(t.timeline);
                for (quint64 n = a; n <= b && t.missing.size() < kMaxMissing; ++n) {
                    const QString name = WalName::segmentName(t.timeline, n, report.segmentSize);
                    if (!have.contains(name))
                        t.missing << name;
                }
            }
            t.endLsn = segmentEndLsn(t.last, report.segmentSize);
        }
        for (const WalFileRecord &r : rows) {
            if (r.timeline != t.timeline || r.kind != QLatin1String("partial") ||
                (!t.last.isEmpty() && r.name <= t.last))
                continue;
            if (t.partial.isEmpty() || r.name > t.partial || (r.name == t.partial && r.stored > t.partialStored)) {
                t.partial = r.name;
                t.partialStored = r.stored;
            }
        }
        report.timelines << t;
    }
    return report;
}

std::optional<QString> WalWindow::firstMissing(const QList<WalFileRecord> &rows, const QString &from, const QString &to,
                                               qint64 segmentSize) {
    if (segmentSize <= 0)
        segmentSize = segmentSizeOf(rows);
    const quint32 timeline = from.left(8).toUInt(nullptr, 16);
    QSet<QString> have;
    for (const WalFileRecord &r : rows)
        if (r.kind == QLatin1String("segment") && r.timeline == timeline)
            have.insert(r.name);
    const quint64 a = WalName::segmentNumber(from, segmentSize);
    const quint64 b = WalName::segmentNumber(to, segmentSize);
    for (quint64 n = a; n <= b; ++n) {
        const QString name = WalName::segmentName(timeline, n, segmentSize);
        if (!have.contains(name))
            return name;
    }
    return std::nullopt;
}

} // namespace lifeboat
