#include "wal/WalPruner.h"

#include "catalog/Catalog.h"
#include "wal/WalName.h"
#include "wal/WalStorage.h"

#include <QJsonArray>
#include <QMap>
#include <QSet>

#include <algorithm>
#include <map>
#include <memory>

namespace lifeboat {

namespace {

QString mib(qint64 bytes) {
    if (bytes >= 1024 * 1024)
        return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', bytes % (1024 * 1024) ? 1 : 0);
    return QStringLiteral("%1 KiB").arg((bytes + 1023) / 1024);
}

// The segment a row belongs to: a partial carries its segment's name, a backup history file starts with it.
QString segmentOf(const WalFileRecord &r) {
    return r.kind == QLatin1String("backup") ? r.name.left(24) : r.name;
}

bool segmentLike(const WalFileRecord &r) {
    return r.kind == QLatin1String("segment") || r.kind == QLatin1String("partial") ||
           r.kind == QLatin1String("backup");
}

// A segment's place in the WAL whatever the segment size: its log and segment fields as one number (the segment
// field counts within a log file, so this orders like the LSN). Comparisons with the cutoff use this, never a
// number derived from a guessed size: a wrong guess reorders segments across log files and frees WAL still needed.
quint64 orderKey(const QString &segment) {
    return (segment.mid(8, 8).toULongLong(nullptr, 16) << 32) | segment.mid(16, 8).toULongLong(nullptr, 16);
}

// Complete segments are stored whole, so their plain size is the cluster's wal_segment_size.
qint64 segmentSizeOf(const QList<WalFileRecord> &rows) {
    for (const WalFileRecord &r : rows)
        if (r.kind == QLatin1String("segment") && r.plainSize > 0)
            return r.plainSize;
    return 16 * 1024 * 1024;
}

} // namespace

QString WalPruner::Range::describe() const {
    QString what = QStringLiteral("%1 segment%2").arg(segments).arg(segments == 1 ? QString() : QStringLiteral("s"));
    if (files > segments)
        what += QStringLiteral(" + %1 other file%2")
                    .arg(files - segments)
                    .arg(files - segments == 1 ? QString() : QStringLiteral("s"));
    return QStringLiteral("WAL %1..%2 (%3, %4)").arg(first, last, what, mib(plainBytes));
}

QJsonObject WalPruner::Range::toJson() const {
    return {{QStringLiteral("timeline"), qint64(timeline)},
            {QStringLiteral("first"), first},
            {QStringLiteral("last"), last},
            {QStringLiteral("segments"), segments},
            {QStringLiteral("files"), files},
            {QStringLiteral("bytes"), plainBytes},
            {QStringLiteral("storedBytes"), storedBytes},
            {QStringLiteral("storages"), QJsonArray::fromStringList(storages)},
            {QStringLiteral("action"), remove ? QStringLiteral("remove") : QStringLiteral("keep")},
            {QStringLiteral("reasons"), QJsonArray{reason}}};
}

int WalPruner::Plan::removeFiles() const {
    int n = 0;
    for (const Range &r : ranges)
        if (r.remove)
            n += r.files;
    return n;
}

qint64 WalPruner::Plan::removeStoredBytes() const {
    qint64 n = 0;
    for (const Range &r : ranges)
        if (r.remove)
            n += r.storedBytes;
    return n;
}

WalPruner::Plan WalPruner::plan(const QString &profile, const QList<Base> &present, const QList<WalFileRecord> &rows) {
    Plan plan;
    plan.profile = profile;
    plan.segmentSize = segmentSizeOf(rows);
    if (present.isEmpty()) {
        plan.note = QStringLiteral("no base backup of profile %1: its WAL is kept (make one with `lifeboatctl "
                                   "basebackup %1`)")
                        .arg(profile);
        return plan;
    }
    // The oldest start among every base backup that stays: each needs the WAL from its start onwards.
    const Base *oldest = nullptr;
    quint64 cutoff = 0;
    for (const Base &b : present) {
        if (!b.info.isValid() || !WalName::isSegmentName(b.info.startWalFile)) {
            plan.note = QStringLiteral("base backup #%1 has no WAL range in the catalog, so the WAL it needs is not "
                                       "known: no WAL removed (`lifeboatctl catalog rebuild` reads it from the "
                                       "manifest)")
                            .arg(b.id);
            return plan;
        }
        const quint64 n = orderKey(b.info.startWalFile);
        if (!oldest || n < cutoff) {
            oldest = &b;
            cutoff = n;
        }
    }
    plan.oldestBaseId = oldest->id;
    plan.cutoff = oldest->info.startWalFile;

    // Per timeline, per segment number: the rows of that segment (every kind and copy).
    std::map<quint32, std::map<quint64, QList<WalFileRecord>>> byTimeline;
    for (const WalFileRecord &r : rows) {
        if (!segmentLike(r) || !WalName::isSegmentName(segmentOf(r)))
            continue; // history files stay
        byTimeline[r.timeline][orderKey(segmentOf(r))].append(r);
    }
    const QString removeReason =
        QStringLiteral("older than the oldest kept base backup #%1 (it starts at %2)").arg(oldest->id).arg(plan.cutoff);
    const QString keepReason =
        QStringLiteral("needed by the kept base backups: from #%1's start (%2) to the newest WAL")
            .arg(oldest->id)
            .arg(plan.cutoff);
    for (const auto &[timeline, segments] : byTimeline) {
        Range run;
        Range kept;
        QString previous; // the last segment added to `run`
        const auto add = [&](Range &range, const QList<WalFileRecord> &copies) {
            QSet<QString> names;
            for (const WalFileRecord &c : copies) {
                const QString key = c.kind + QLatin1Char(':') + c.name;
                if (!names.contains(key)) {
                    names.insert(key);
                    ++range.files;
                    if (c.kind == QLatin1String("segment")) {
                        ++range.segments;
                        range.plainBytes += c.plainSize;
                    }
                }
                range.storedBytes += c.size;
                if (!range.storages.contains(c.storage))
                    range.storages << c.storage;
            }
            const QString seg = segmentOf(copies.first());
            if (range.first.isEmpty())
                range.first = seg;
            range.last = seg;
        };
        const auto flush = [&]() {
            if (run.files > 0) {
                run.storages.sort();
                plan.ranges << run;
            }
            run = Range{};
            run.timeline = timeline;
            run.remove = true;
            run.reason = removeReason;
        };
        flush();
        kept.timeline = timeline;
        kept.reason = keepReason;
        for (const auto &[number, copies] : segments) {
            if (number >= cutoff) {
                add(kept, copies);
                continue;
            }
            // A gap splits the runs, so each line names WAL that was there (consecutive by the segment size; a wrong
            // size only splits a line, it never changes what is removed).
            const QString segment = segmentOf(copies.first());
            if (run.files > 0 && WalName::segmentNumber(segment, plan.segmentSize) !=
                                     WalName::segmentNumber(previous, plan.segmentSize) + 1)
                flush();
            add(run, copies);
            for (const WalFileRecord &c : copies)
                plan.rows << c;
            previous = segment;
        }
        flush();
        if (kept.files > 0) {
            kept.storages.sort();
            plan.ranges << kept;
        }
    }
    return plan;
}

WalPruner::Outcome WalPruner::execute(Catalog &catalog, const Plan &plan, const QList<StorageConfig> &storages,
                                      const SecretLookup &secretFor) {
    Outcome out;
    std::map<QString, std::unique_ptr<WalStorage>> open;
    QMap<QString, QString> unusable; // storage → why it can't be opened
    // Oldest first: after a failure on a storage, nothing newer goes from it in this run, so what stays there stays
    // contiguous (no false gap for recovery, `wal status` or the alerts); the next prune tries again.
    QSet<QString> stopped;
    for (const WalFileRecord &row : plan.rows) {
        if (stopped.contains(row.storage))
            continue;
        WalStorage *storage = nullptr;
        if (auto it = open.find(row.storage); it != open.end()) {
            storage = it->second.get();
        } else if (!unusable.contains(row.storage)) {
            const auto config = std::find_if(storages.cbegin(), storages.cend(),
                                             [&](const StorageConfig &s) { return s.name == row.storage; });
            if (config == storages.cend()) {
                unusable.insert(row.storage, QStringLiteral("storage \"%1\" is not configured").arg(row.storage));
            } else {
                Error e;
                auto s = WalStorage::open(*config, secretFor ? secretFor(row.storage) : QString(), &e);
                if (!s)
                    unusable.insert(row.storage, e.message);
                else
                    storage = open.emplace(row.storage, std::move(s)).first->second.get();
            }
        }
        if (!storage) {
            out.problems << QStringLiteral("%1 (%2): %3").arg(row.path, row.storage, unusable.value(row.storage));
            stopped.insert(row.storage);
            continue;
        }
        const QString rel = WalName{row.name, row.kind, row.timeline}.relativePath(plan.profile, row.encrypted);
        WalStorage::Object obj;
        bool found = false;
        const Error statError = storage->stat(rel, &obj, &found);
        if (const Error e = storage->remove(rel)) {
            out.problems << e.message;
            stopped.insert(row.storage);
            continue;
        }
        if (!statError && !found)
            out.missing << storage->location(rel);
        QString err;
        if (!catalog.removeWalFile(row, &err)) {
            out.problems << QStringLiteral("%1 was removed, its catalog row was not: %2").arg(row.path, err);
            stopped.insert(row.storage);
            continue;
        }
        ++out.removed;
    }
    if (!out.problems.isEmpty())
        out.error = {ExitCode::Transfer, QStringLiteral("%1 WAL file(s) could not be removed (the next prune tries "
                                                        "again): %2")
                                             .arg(out.problems.size())
                                             .arg(out.problems.first())};
    return out;
}

WalPruner::Result WalPruner::prune(Catalog &catalog, const QString &profile, const QList<qint64> &leaving, bool dryRun,
                                   const QList<StorageConfig> &storages, const SecretLookup &secretFor) {
    Result result;
    result.plan.profile = profile;
    WalFileFilter wf;
    wf.profile = profile;
    const QList<WalFileRecord> rows = catalog.walFiles(wf);
    if (rows.isEmpty())
        return result;
    QList<Base> present;
    CatalogFilter f;
    f.profile = profile;
    f.kind = QStringLiteral("base");
    for (const BackupRecord &r : catalog.list(f)) {
        // EXPIRED: its deletion failed or was refused (a recover holding it), so its files and its needs remain.
        if ((r.status != BackupRecord::statusCompleted() && r.status != BackupRecord::statusExpired()) ||
            leaving.contains(r.id))
            continue;
        present.append({r.id, catalog.baseBackup(r.id).value_or(BaseBackupInfo{})});
    }
    result.plan = plan(profile, present, rows);
    if (!dryRun && !result.plan.rows.isEmpty())
        result.outcome = execute(catalog, result.plan, storages, secretFor);
    return result;
}

} // namespace lifeboat
