#include "pitr/RecoverPlan.h"

#include <QJsonArray>
#include <QMap>
#include <QRegularExpression>

#include <algorithm>

namespace lifeboat {

namespace {
QString iso(const QDateTime &t) {
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QStringLiteral("?");
}
quint64 segmentsPerLog(qint64 segmentSize) {
    return 0x100000000ull / quint64(segmentSize);
}
} // namespace

RecoverTarget RecoverTarget::parse(Kind kind, const QString &text, QString *error) {
    RecoverTarget t;
    t.kind = kind;
    switch (kind) {
    case Kind::Latest:
        break;
    case Kind::Time: {
        QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!dt.isValid())
            dt = QDateTime::fromString(text, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        if (!dt.isValid()) {
            *error = QStringLiteral("--to takes \"latest\" or a time like 2026-12-06T10:15:00Z (ISO 8601; without a "
                                    "zone it is local time), not \"%1\"")
                         .arg(text);
            return {};
        }
        t.time = dt.toUTC();
        break;
    }
    case Kind::Lsn:
        if (BaseBackupInfo::parseLsn(text) < 0) {
            *error = QStringLiteral("--to-lsn takes an LSN like 0/3000060, not \"%1\"").arg(text);
            return {};
        }
        t.value = text.toUpper();
        break;
    case Kind::Xid: {
        bool ok = false;
        const qulonglong x = text.toULongLong(&ok);
        if (!ok || x < 3) {
            *error = QStringLiteral("--to-xid takes a transaction id (a number), not \"%1\"").arg(text);
            return {};
        }
        t.value = QString::number(x);
        break;
    }
    case Kind::Name:
        if (text.isEmpty() || text.size() > 63 || text.contains(QLatin1Char('\'')) ||
            text.contains(QLatin1Char('\\'))) {
            *error = QStringLiteral("--to-name takes a restore point name (pg_create_restore_point), up to 63 "
                                    "characters without quotes or backslashes");
            return {};
        }
        t.value = text;
        break;
    }
    return t;
}

QString RecoverTarget::describe() const {
    switch (kind) {
    case Kind::Latest:
        return QStringLiteral("the end of the archived WAL (latest)");
    case Kind::Time:
        return QStringLiteral("time %1").arg(time.toUTC().toString(Qt::ISODateWithMs));
    case Kind::Lsn:
        return QStringLiteral("LSN %1").arg(value);
    case Kind::Xid:
        return QStringLiteral("transaction %1").arg(value);
    case Kind::Name:
        return QStringLiteral("restore point \"%1\"").arg(value);
    }
    return {};
}

QStringList RecoverTarget::settings() const {
    switch (kind) {
    case Kind::Latest:
        return {};
    case Kind::Time:
        return {QStringLiteral("recovery_target_time = '%1'")
                    .arg(time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz+00")))};
    case Kind::Lsn:
        return {QStringLiteral("recovery_target_lsn = '%1'").arg(value)};
    case Kind::Xid:
        return {QStringLiteral("recovery_target_xid = '%1'").arg(value)};
    case Kind::Name:
        return {QStringLiteral("recovery_target_name = '%1'").arg(value)};
    }
    return {};
}

qint64 RecoverPlan::inferSegmentSize(const QString &startLsn, const QString &startWalFile) {
    const qint64 lsn = BaseBackupInfo::parseLsn(startLsn);
    static const QRegularExpression re(QStringLiteral("^[0-9A-F]{24}$"));
    if (lsn < 0 || !re.match(startWalFile).hasMatch())
        return 16 * 1024 * 1024;
    QList<qint64> sizes{16LL << 20};
    for (qint64 s = 1LL << 20; s <= 1LL << 30; s <<= 1)
        sizes << s;
    for (const qint64 s : std::as_const(sizes)) {
        if (segmentName(1, quint64(lsn) / quint64(s), s).mid(8) == startWalFile.mid(8))
            return s;
    }
    return 16 * 1024 * 1024;
}

quint64 RecoverPlan::segmentNumber(const QString &segment, qint64 segmentSize) {
    return segment.mid(8, 8).toULongLong(nullptr, 16) * segmentsPerLog(segmentSize) +
           segment.mid(16, 8).toULongLong(nullptr, 16);
}

QString RecoverPlan::replayShortfall(const QString &redoDone, const QStringList &restored) const {
    const qint64 redo = redoDone.isEmpty() ? -1 : BaseBackupInfo::parseLsn(redoDone);
    // Replay entered a segment when it fetched it or redid a record in it or beyond. Its end can't be required: the
    // last record replayed (a segment switch, or the partial's last) starts inside the segment.
    const auto reached = [&](const QString &segment) {
        return restored.contains(segment) ||
               (redo >= 0 && quint64(redo) >= segmentNumber(segment, segmentSize) * quint64(segmentSize));
    };
    const QString at = redo >= 0 ? QStringLiteral("replay ended at LSN %1").arg(redoDone)
                                 : QStringLiteral("replay ended without redoing any archived WAL");
    if (!lastSegment.isEmpty() && !reached(lastSegment))
        return QStringLiteral("%1, before archived segment %2 (the last one the plan counted on)").arg(at, lastSegment);
    if (!partial.isEmpty() && !reached(partial))
        return QStringLiteral("%1, before the partial upload of %2 (the end of the archived WAL)").arg(at, partial);
    return {};
}

QString RecoverPlan::segmentName(quint32 timeline, quint64 number, qint64 segmentSize) {
    const quint64 per = segmentsPerLog(segmentSize);
    return QStringLiteral("%1%2%3")
        .arg(timeline, 8, 16, QLatin1Char('0'))
        .arg(number / per, 8, 16, QLatin1Char('0'))
        .arg(number % per, 8, 16, QLatin1Char('0'))
        .toUpper();
}

RecoverPlan RecoverPlan::make(QList<BaseBackupEntry> bases, const QList<WalFileRecord> &wal,
                              const RecoverTarget &target) {
    RecoverPlan plan;
    bases.erase(
        std::remove_if(bases.begin(), bases.end(),
                       [](const BaseBackupEntry &b) { return !b.info.isValid() || !b.info.stopTime.isValid(); }),
        bases.end());
    if (bases.isEmpty()) {
        plan.refusal = {ExitCode::Refused, QStringLiteral("there is no complete base backup of this profile to "
                                                          "recover from — make one with `lifeboatctl basebackup`")};
        return plan;
    }
    std::sort(bases.begin(), bases.end(),
              [](const BaseBackupEntry &a, const BaseBackupEntry &b) { return a.info.stopTime < b.info.stopTime; });
    plan.windowStart = bases.first().info.stopTime;

    // The base backup: the newest that ends before the target.
    const BaseBackupEntry *chosen = nullptr;
    for (const BaseBackupEntry &b : std::as_const(bases)) {
        switch (target.kind) {
        case RecoverTarget::Kind::Time:
            if (b.info.stopTime <= target.time)
                chosen = &b;
            break;
        case RecoverTarget::Kind::Lsn:
            if (BaseBackupInfo::parseLsn(b.info.stopLsn) <= BaseBackupInfo::parseLsn(target.value))
                chosen = &b;
            break;
        default: // latest, xid, restore point: the newest (the server stops at the target if it comes later)
            chosen = &b;
        }
    }

    // The archive after each base backup: contiguous segment numbers, any timeline at least the backup's (the
    // server follows the newest timeline through the history files).
    const BaseBackupEntry &anchor = chosen ? *chosen : bases.last();
    plan.segmentSize = inferSegmentSize(anchor.info.startLsn, anchor.info.startWalFile);
    struct Seg {
        QString name;
        QDateTime stored;
    };
    QMap<quint64, Seg> segs;
    QMap<quint64, Seg> partials;
    QStringList histories;
    for (const WalFileRecord &w : wal) {
        if (w.kind == QLatin1String("history")) {
            if (!histories.contains(w.name))
                histories << w.name;
            continue;
        }
        if ((w.kind != QLatin1String("segment") && w.kind != QLatin1String("partial")) ||
            w.timeline < quint32(anchor.info.timeline))
            continue;
        const quint64 n = segmentNumber(w.name, plan.segmentSize);
        QMap<quint64, Seg> &into = w.kind == QLatin1String("segment") ? segs : partials;
        auto it = into.find(n);
        // The highest timeline wins a number; among copies of one file the latest upload.
        if (it == into.end() || it->name < w.name || (it->name == w.name && it->stored < w.stored))
            into.insert(n, {w.name, w.stored});
    }
    std::sort(histories.begin(), histories.end());
    plan.histories = histories;

    // Walks the archive from a base backup's end: returns the contiguous end and the first gap.
    struct Walk {
        quint64 last = 0;
        QDateTime end;
        QString lastName;
        QString partial;
        QString missing;
    };
    const auto walk = [&](const BaseBackupEntry &b) {
        Walk w;
        const qint64 stopPos = BaseBackupInfo::parseLsn(b.info.stopLsn);
        // The backup holds its own WAL up to the segment of its end point (-X fetch).
        w.last = quint64(qMax<qint64>(stopPos - 1, 0)) / quint64(plan.segmentSize);
        w.lastName = segmentName(quint32(b.info.timeline), w.last, plan.segmentSize);
        w.end = b.info.stopTime;
        for (auto it = segs.lowerBound(w.last + 1); it != segs.end() && it.key() == w.last + 1; ++it) {
            w.last = it.key();
            w.lastName = it->name;
            w.end = qMax(w.end, it->stored);
        }
        const auto p = partials.find(w.last + 1);
        if (p != partials.end()) {
            w.partial = p->name;
            w.end = qMax(w.end, p->stored);
        }
        // More WAL after the next number, but not the next one itself: replay cannot get past it.
        if (segs.upperBound(w.last + 1) != segs.end() || partials.upperBound(w.last + 1) != partials.end())
            w.missing = segmentName(quint32(b.info.timeline), w.last + 1, plan.segmentSize);
        return w;
    };
    const Walk newest = walk(bases.last());
    plan.windowEnd = newest.end;

    if (!chosen) {
        plan.refusal = {ExitCode::Refused, QStringLiteral("%1 is before the oldest base backup ends, so it cannot be "
                                                          "recovered; %2")
                                               .arg(target.describe(), plan.windowText())};
        return plan;
    }
    plan.base = *chosen;
    const Walk w = walk(*chosen);
    plan.lastSegment = w.lastName;
    plan.missing = w.missing;
    plan.endPartial = w.partial;
    const quint64 first =
        quint64(qMax<qint64>(BaseBackupInfo::parseLsn(chosen->info.stopLsn) - 1, 0)) / quint64(plan.segmentSize);
    for (auto it = segs.lowerBound(first + 1); it != segs.end() && it.key() <= w.last; ++it)
        plan.archive << it->name;
    switch (target.kind) {
    case RecoverTarget::Kind::Time: {
        // The commit at the target time lies in a segment uploaded after it: replay needs the archive up to the
        // first segment (or partial) stored at or after the target.
        bool reached = chosen->info.stopTime >= target.time;
        for (auto it = segs.lowerBound(first + 1); !reached && it != segs.end() && it.key() <= w.last; ++it) {
            plan.segments << it->name;
            reached = it->stored >= target.time;
        }
        if (!reached && !w.partial.isEmpty() && w.end >= target.time) {
            plan.partial = w.partial;
            reached = true;
        }
        if (!reached) {
            plan.refusal = {ExitCode::Refused,
                            w.missing.isEmpty()
                                ? QStringLiteral("%1 is after the newest archived WAL (%2), so it cannot be recovered "
                                                 "yet; %3")
                                      .arg(target.describe(), w.lastName, plan.windowText())
                                : QStringLiteral("%1 lies behind a gap in the archive: segment %2 is missing (the WAL "
                                                 "ends at %3 before it); %4")
                                      .arg(target.describe(), w.missing, w.lastName, plan.windowText())};
        }
        break;
    }
    case RecoverTarget::Kind::Lsn: {
        const quint64 need = quint64(BaseBackupInfo::parseLsn(target.value)) / quint64(plan.segmentSize);
        for (auto it = segs.lowerBound(first + 1); it != segs.end() && it.key() <= qMin(w.last, need); ++it)
            plan.segments << it->name;
        if (need > w.last) {
            if (need == w.last + 1 && !w.partial.isEmpty()) {
                plan.partial = w.partial;
            } else {
                plan.refusal = {ExitCode::Refused,
                                w.missing.isEmpty()
                                    ? QStringLiteral("%1 is after the newest archived WAL (%2); %3")
                                          .arg(target.describe(), w.lastName, plan.windowText())
                                    : QStringLiteral("%1 lies behind a gap in the archive: segment %2 is missing; %3")
                                          .arg(target.describe(), w.missing, plan.windowText())};
            }
        }
        break;
    }
    default:
        for (auto it = segs.lowerBound(first + 1); it != segs.end() && it.key() <= w.last; ++it)
            plan.segments << it->name;
        plan.partial = w.partial;
        if (target.kind == RecoverTarget::Kind::Latest && !w.missing.isEmpty())
            plan.refusal = {ExitCode::Refused,
                            QStringLiteral("the archive has a gap: segment %1 is missing, so replay would stop at %2 "
                                           "and the WAL after the gap is out of reach — recover to a time before the "
                                           "gap (--to), or make a new base backup; %3")
                                .arg(w.missing, w.lastName, plan.windowText())};
    }
    return plan;
}

QString RecoverPlan::windowText() const {
    return QStringLiteral("recoverable window: %1 … %2 (UTC)").arg(iso(windowStart), iso(windowEnd));
}

QJsonObject RecoverPlan::toJson() const {
    QJsonObject o{{QStringLiteral("baseBackupId"), base.record.id},
                  {QStringLiteral("baseBackup"), base.record.filename},
                  {QStringLiteral("baseBackupEnd"), base.info.stopLsn},
                  {QStringLiteral("baseBackupStopTime"), base.info.stopTime.toUTC().toString(Qt::ISODateWithMs)},
                  {QStringLiteral("timeline"), base.info.timeline},
                  {QStringLiteral("segments"), QJsonArray::fromStringList(segments)},
                  {QStringLiteral("windowStart"), windowStart.toUTC().toString(Qt::ISODateWithMs)},
                  {QStringLiteral("windowEnd"), windowEnd.toUTC().toString(Qt::ISODateWithMs)},
                  {QStringLiteral("lastSegment"), lastSegment}};
    if (!partial.isEmpty())
        o[QStringLiteral("partial")] = partial;
    if (!missing.isEmpty())
        o[QStringLiteral("missing")] = missing;
    return o;
}

} // namespace lifeboat
