#include "jobs/RetentionPruner.h"

#include "jobs/ArchiveMover.h"

#include <QFile>
#include <QHash>

#include <algorithm>

namespace lifeboat {

namespace {
Error countSetting(const ConfigStore &config, const QString &key, int *value, bool *set) {
    const QString v = config.option(key).trimmed();
    if (v.isEmpty())
        return {};
    bool ok = false;
    const int n = v.toInt(&ok);
    if (!ok || n < 0 || n > RetentionPolicy::kMaxCount)
        return {ExitCode::Usage, QStringLiteral("setting %1 must be a count from 0 to %2, not \"%3\"")
                                     .arg(key)
                                     .arg(RetentionPolicy::kMaxCount)
                                     .arg(v)};
    *value = n;
    *set = true;
    return {};
}
QString archiveReason(const QString &archive) {
    return QStringLiteral("kept only by monthly/yearly rules: moves to archive storage %1").arg(archive);
}

// A record kept only by the source's monthly/yearly rules moves its copies to the archive storage: the copy's
// storage's own archiveTo, else the policy's (a copy already on it stays put).
void markArchival(RetentionPruner::Entry &e, const RetentionPolicy &policy, const QList<StorageConfig> &storages) {
    // A mirror run's location is its object list, which points at copies elsewhere: not a copy that can move.
    if (!e.decision.keep() || !e.decision.archivalOnly || e.record.kind == QLatin1String("mirror"))
        return;
    for (RetentionPruner::CopyDecision &c : e.copies) {
        QString archive = policy.archiveTo;
        bool ownRules = false; // decided, archive move included, by applyStorageRules
        for (const StorageConfig &s : storages) {
            if (s.name != c.storage)
                continue;
            ownRules = s.hasRetention();
            if (!s.archiveTo.isEmpty())
                archive = s.archiveTo;
        }
        if (ownRules || archive.isEmpty() || c.storage == archive || !c.keep)
            continue;
        c.moveTo = archive;
        c.reasons << archiveReason(archive);
        if (!e.decision.reasons.contains(c.reasons.last()))
            e.decision.reasons << c.reasons.last();
    }
}
// A copy never moves to a storage whose own copy of the same record is being removed: the mover would find that
// copy, remove the original, and the removal would then take the last one. The copy stays where it is instead.
void unplanMovesIntoDroppedCopies(RetentionPruner::Entry &e) {
    for (RetentionPruner::CopyDecision &c : e.copies) {
        if (c.moveTo.isEmpty())
            continue;
        const bool dropped =
            std::any_of(e.copies.cbegin(), e.copies.cend(),
                        [&](const RetentionPruner::CopyDecision &d) { return d.storage == c.moveTo && !d.keep; });
        if (!dropped)
            continue;
        const QString archive = c.moveTo;
        c.moveTo.clear();
        c.reasons.removeAll(archiveReason(archive));
        c.reasons << QStringLiteral("not moved to archive storage %1: its own rules remove its copy").arg(archive);
        const bool stillMoving =
            std::any_of(e.copies.cbegin(), e.copies.cend(),
                        [&](const RetentionPruner::CopyDecision &d) { return d.moveTo == archive; });
        if (!stillMoving)
            e.decision.reasons.removeAll(archiveReason(archive));
        if (!e.decision.reasons.contains(c.reasons.last()))
            e.decision.reasons << c.reasons.last();
    }
}
} // namespace

Error RetentionPruner::basePolicy(const ConfigStore &config, RetentionPolicy *policy, Sources *sources,
                                  const QProcessEnvironment &env) {
    RetentionPolicy p;
    Sources src;
    struct Level {
        QString key;
        const char *var;
        int RetentionPolicy::*field;
        Origin Sources::*origin;
    };
    const Level levels[] = {
        {QStringLiteral("retentionLast"), "BACKUP_RETENTION_LAST", &RetentionPolicy::last, &Sources::last},
        {QStringLiteral("retentionHourly"), "BACKUP_RETENTION_HOURLY", &RetentionPolicy::hourly, &Sources::hourly},
        {QStringLiteral("retentionDaily"), "BACKUP_RETENTION_DAILY", &RetentionPolicy::daily, &Sources::daily},
        {QStringLiteral("retentionWeekly"), "BACKUP_RETENTION_WEEKLY", &RetentionPolicy::weekly, &Sources::weekly},
        {QStringLiteral("retentionMonthly"), "BACKUP_RETENTION_MONTHLY", &RetentionPolicy::monthly, &Sources::monthly},
        {QStringLiteral("retentionYearly"), "BACKUP_RETENTION_YEARLY", &RetentionPolicy::yearly, &Sources::yearly}};
    for (const Level &l : levels) {
        bool set = false;
        if (const Error e = countSetting(config, l.key, &(p.*(l.field)), &set))
            return e;
        if (set)
            src.*(l.origin) = Origin::Setting;
    }
    const QString within = config.option(QStringLiteral("retentionWithin")).trimmed();
    if (!within.isEmpty()) {
        if (!RetentionPolicy::parseDuration(within, &p.withinSeconds))
            return {ExitCode::Usage,
                    QStringLiteral("setting retentionWithin must be a duration such as 7d, 36h or 2w, not \"%1\"")
                        .arg(within)};
        src.within = Origin::Setting;
    }
    p.archiveTo = config.option(QStringLiteral("retentionArchiveTo")).trimmed();
    if (!p.archiveTo.isEmpty() && !config.storage(p.archiveTo))
        return {ExitCode::Usage,
                QStringLiteral("setting retentionArchiveTo names storage \"%1\", which is not configured")
                    .arg(p.archiveTo)};
    if (const auto archive = p.archiveTo.isEmpty() ? std::nullopt : config.storage(p.archiveTo)) {
        for (const StorageConfig &s : config.storages())
            if (const QString why = s.name == archive->name ? QString() : ArchiveMover::overlap(*archive, s);
                !why.isEmpty())
                return {ExitCode::Usage, QStringLiteral("setting retentionArchiveTo names storage \"%1\", which cannot "
                                                        "archive the copies of \"%2\": %3")
                                             .arg(p.archiveTo, s.name, why)};
    }
    if (const Error e = p.applyEnvironment(env))
        return e;
    for (const Level &l : levels)
        if (!env.value(QLatin1String(l.var)).trimmed().isEmpty())
            src.*(l.origin) = Origin::Environment;
    if (!env.value(QStringLiteral("BACKUP_RETENTION_WITHIN")).trimmed().isEmpty())
        src.within = Origin::Environment;
    *policy = p;
    if (sources)
        *sources = src;
    return {};
}

Error RetentionPruner::policyFor(const ConfigStore &config, const QList<ScheduleRecord> &schedules,
                                 const QString &profile, RetentionPolicy *policy, Sources *sources,
                                 const QProcessEnvironment &env) {
    return policyForSource(config, schedules, QString(), profile, policy, sources, env);
}

Error RetentionPruner::policyForSource(const ConfigStore &config, const QList<ScheduleRecord> &schedules,
                                       const QString &kind, const QString &profile, RetentionPolicy *policy,
                                       Sources *sources, const QProcessEnvironment &env) {
    RetentionPolicy p;
    Sources src;
    if (const Error e = basePolicy(config, &p, &src, env))
        return e;
    bool zoneSet = false;
    for (const ScheduleRecord &s : schedules) {
        if (s.profile != profile || (!kind.isEmpty() && s.sourceKind != kind))
            continue;
        // Days, weeks and months are the ones the schedule runs by; a source with several schedules uses the first.
        const QTimeZone tz = scheduleZone(s.timeZone);
        if (!zoneSet && tz.isValid()) {
            p.zone = tz;
            zoneSet = true;
        }
        const std::pair<int, std::pair<int RetentionPolicy::*, Origin Sources::*>> counts[] = {
            {s.keepDaily, {&RetentionPolicy::daily, &Sources::daily}},
            {s.keepWeekly, {&RetentionPolicy::weekly, &Sources::weekly}},
            {s.keepMonthly, {&RetentionPolicy::monthly, &Sources::monthly}},
            {s.keepHourly, {&RetentionPolicy::hourly, &Sources::hourly}},
            {s.keepYearly, {&RetentionPolicy::yearly, &Sources::yearly}},
            {s.keepLast, {&RetentionPolicy::last, &Sources::last}}};
        for (const auto &[value, target] : counts) {
            if (value >= 0) {
                p.*(target.first) = value;
                src.*(target.second) = Origin::Schedule;
            }
        }
        if (s.keepWithinSeconds >= 0) {
            p.withinSeconds = s.keepWithinSeconds;
            src.within = Origin::Schedule;
        }
    }
    *policy = p;
    if (sources)
        *sources = src;
    return {};
}

QTimeZone RetentionPruner::scheduleZone(const QString &timeZone) {
    return timeZone.isEmpty() ? QTimeZone::systemTimeZone() : QTimeZone(timeZone.toUtf8());
}

RetentionItem RetentionPruner::itemFor(const BackupRecord &r) {
    RetentionItem it;
    it.id = QString::number(r.id);
    it.source = r.profile;
    // Ages and order go by the real start. A fire time after it only comes from a `run-due --as-of` replay of
    // future fires, whose simulated time is then the one that counts.
    it.started = r.scheduledFor.isValid() && r.scheduledFor > r.started ? r.scheduledFor : r.started;
    // A scheduled backup fills the periods of the fire time it ran for (a catch-up run starts later).
    it.periodTime = r.scheduledFor;
    static const QHash<QString, BackupStatus> statuses{{BackupRecord::statusInProgress(), BackupStatus::InProgress},
                                                       {BackupRecord::statusCompleted(), BackupStatus::Completed},
                                                       {BackupRecord::statusFailed(), BackupStatus::Failed},
                                                       {BackupRecord::statusCancelled(), BackupStatus::Cancelled},
                                                       {BackupRecord::statusExpired(), BackupStatus::Expired},
                                                       {BackupRecord::statusDeleted(), BackupStatus::Deleted}};
    it.status = statuses.value(r.status, BackupStatus::InProgress); // unknown: never touched
    const QStringList types = r.type.toUpper().split(QLatin1Char(','), Qt::SkipEmptyParts);
    it.manual = types.isEmpty() || types.contains(QStringLiteral("MANUAL"));
    it.isDaily = types.contains(QStringLiteral("DAILY"));
    it.isWeekly = types.contains(QStringLiteral("WEEKLY"));
    it.isMonthly = types.contains(QStringLiteral("MONTHLY"));
    it.label = r.label;
    it.verificationFailed = r.verifyOutcome.compare(QLatin1String("FAILED"), Qt::CaseInsensitive) == 0;
    if (it.manual && r.expires.isValid() && r.started.isValid())
        it.keepDays = std::max<qint64>(1, (r.started.secsTo(r.expires) + 86399) / 86400);
    // A record whose only copies are local files that are all gone holds no backup any more.
    bool anyRemote = false;
    bool anyLocal = false;
    for (const BackupLocation &l : r.locations) {
        if (l.kind == QLatin1String("local"))
            anyLocal = anyLocal || QFile::exists(l.path);
        else
            anyRemote = true;
    }
    it.hasLocation = anyRemote || anyLocal;
    return it;
}

Error RetentionPruner::promotionRule(const ConfigStore &config, PromotionRule *rule) {
    PromotionRule r;
    const QString day = config.option(QStringLiteral("promotionWeekDay")).trimmed().toLower();
    if (!day.isEmpty()) {
        static const QStringList names{QStringLiteral("monday"),    QStringLiteral("tuesday"),
                                       QStringLiteral("wednesday"), QStringLiteral("thursday"),
                                       QStringLiteral("friday"),    QStringLiteral("saturday"),
                                       QStringLiteral("sunday")};
        const int i = names.indexOf(day);
        if (i < 0)
            return {
                ExitCode::Usage,
                QStringLiteral("setting promotionWeekDay must be a day name (monday..sunday), not \"%1\"").arg(day)};
        r.weekDay = Qt::DayOfWeek(i + 1);
    }
    const QString md = config.option(QStringLiteral("promotionMonthDay")).trimmed();
    if (!md.isEmpty()) {
        bool ok = false;
        r.monthDay = md.toInt(&ok);
        if (!ok || r.monthDay < 1 || r.monthDay > 31)
            return {ExitCode::Usage,
                    QStringLiteral("setting promotionMonthDay must be 1..31 (31: the last day), not \"%1\"").arg(md)};
    }
    *rule = r;
    return {};
}

QString RetentionPruner::typeList(const PromotionFlags &flags) {
    QStringList t{QStringLiteral("DAILY")};
    if (flags.weekly)
        t << QStringLiteral("WEEKLY");
    if (flags.monthly)
        t << QStringLiteral("MONTHLY");
    return t.join(QLatin1Char(','));
}

QStringList RetentionPruner::Entry::dropStorages() const {
    QStringList out;
    if (!decision.keep())
        return out;
    for (const CopyDecision &c : copies)
        if (!c.keep)
            out << c.storage;
    return out;
}

QStringList RetentionPruner::Entry::moveStorages(const QString &archive) const {
    QStringList out;
    if (!decision.keep())
        return out;
    for (const CopyDecision &c : copies)
        if (c.keep && c.moveTo == archive)
            out << c.storage;
    return out;
}

QStringList RetentionPruner::Entry::archiveTargets() const {
    QStringList out;
    if (!decision.keep())
        return out;
    for (const CopyDecision &c : copies)
        if (c.keep && !c.moveTo.isEmpty() && !out.contains(c.moveTo))
            out << c.moveTo;
    return out;
}

QList<RetentionPruner::Entry> RetentionPruner::plan(Catalog &catalog, const QString &profile,
                                                    const RetentionPolicy &policy, const QDateTime &now,
                                                    const QString &kind, const QList<StorageConfig> &storages) {
    CatalogFilter f;
    f.profile = profile;
    f.kind = kind;
    QList<BackupRecord> records;
    for (const BackupRecord &r : catalog.list(f)) {
        // Members of an application backup set are kept or expired with their set (SetPruner), never alone.
        if (r.status == BackupRecord::statusDeleted() || r.profile != profile || !r.setId.isEmpty() ||
            (!kind.isEmpty() && r.kind != kind))
            continue;
        records << r;
    }
    return planRecords(records, policy, now, storages);
}

QList<RetentionPruner::Entry> RetentionPruner::planRecords(const QList<BackupRecord> &records,
                                                           const RetentionPolicy &policy, const QDateTime &now,
                                                           const QList<StorageConfig> &storages) {
    QList<RetentionItem> items;
    items.reserve(records.size());
    for (const BackupRecord &r : records)
        items << itemFor(r);
    const QList<RetentionDecision> decisions = Retention::decide(items, policy, now);
    QHash<QString, RetentionDecision> byId;
    for (const RetentionDecision &d : decisions)
        byId.insert(d.id, d);
    QList<Entry> out;
    out.reserve(records.size());
    for (const BackupRecord &r : records) {
        Entry e;
        e.record = r;
        e.decision = byId.value(QString::number(r.id));
        for (const BackupLocation &l : r.locations) {
            if (std::any_of(e.copies.cbegin(), e.copies.cend(),
                            [&](const CopyDecision &c) { return c.storage == l.storage; }))
                continue;
            e.copies << CopyDecision{l.storage, e.decision.keep(), false, policy.describe(), e.decision.reasons, {}};
        }
        markArchival(e, policy, storages);
        out << e;
    }
    applyStorageRules(out, storages, policy, now);
    for (Entry &e : out)
        unplanMovesIntoDroppedCopies(e);
    for (Entry &e : out) {
        const QStringList drop = e.dropStorages();
        e.outcome = !e.decision.keep() ? QStringLiteral("expire")
                    : drop.isEmpty()   ? QStringLiteral("keep")
                                       : QStringLiteral("keep, remove copy on %1").arg(drop.join(QStringLiteral(", ")));
        for (const QString &a : e.archiveTargets())
            e.outcome += QStringLiteral(", move copy on %1 to %2").arg(e.moveStorages(a).join(QStringLiteral(", ")), a);
    }
    return out;
}

RetentionPolicy RetentionPruner::storagePolicy(const StorageConfig &s, const RetentionPolicy &sourcePolicy) {
    RetentionPolicy p = sourcePolicy;
    p.last = std::max(0, s.keepLast);
    p.hourly = std::max(0, s.keepHourly);
    p.daily = std::max(0, s.keepDaily);
    p.weekly = std::max(0, s.keepWeekly);
    p.monthly = std::max(0, s.keepMonthly);
    p.yearly = std::max(0, s.keepYearly);
    p.withinSeconds = std::max<qint64>(0, s.keepWithinSeconds);
    return p;
}

void RetentionPruner::applyStorageRules(QList<Entry> &entries, const QList<StorageConfig> &storages,
                                        const RetentionPolicy &policy, const QDateTime &now) {
    bool any = false;
    for (const StorageConfig &s : storages) {
        if (!s.hasRetention())
            continue;
        const RetentionPolicy sp = storagePolicy(s, policy);
        // The storage's history: the records with a copy there, that copy deciding whether one is present.
        QList<RetentionItem> items;
        QHash<QString, int> index;
        for (int i = 0; i < entries.size(); ++i) {
            const BackupRecord &r = entries[i].record;
            const auto loc = std::find_if(r.locations.cbegin(), r.locations.cend(),
                                          [&](const BackupLocation &l) { return l.storage == s.name; });
            if (loc == r.locations.cend())
                continue;
            RetentionItem it = itemFor(r);
            it.hasLocation = loc->kind != QLatin1String("local") || QFile::exists(loc->path);
            items << it;
            index.insert(it.id, i);
        }
        if (items.isEmpty())
            continue;
        any = true;
        for (const RetentionDecision &d : Retention::decide(items, sp, now)) {
            Entry &e = entries[index.value(d.id)];
            for (CopyDecision &c : e.copies) {
                if (c.storage != s.name)
                    continue;
                c.keep = d.keep();
                c.ownRules = true;
                c.policy = sp.describe();
                c.reasons = d.reasons;
                c.moveTo.clear();
                // The storage's own rules decide its archive move too (a copy already on the archive storage only
                // leaves this one).
                if (!s.archiveTo.isEmpty() && s.archiveTo != s.name && d.archivalOnly &&
                    e.record.kind != QLatin1String("mirror")) {
                    c.moveTo = s.archiveTo;
                    c.reasons << archiveReason(s.archiveTo);
                }
            }
        }
    }
    if (!any)
        return;
    for (Entry &e : entries) {
        bool ownRules = false;
        QStringList keptOn;
        for (const CopyDecision &c : e.copies) {
            ownRules = ownRules || c.ownRules;
            if (c.keep)
                keptOn << c.storage;
        }
        if (!ownRules)
            continue;
        const bool wasKept = e.decision.keep();
        e.decision.action = keptOn.isEmpty() ? RetentionDecision::Action::Expire : RetentionDecision::Action::Keep;
        QStringList reasons;
        for (const CopyDecision &c : e.copies) {
            if (c.ownRules)
                reasons << QStringLiteral("storage %1 (%2): %3 — %4")
                               .arg(c.storage, c.policy, c.keep ? QStringLiteral("keep") : QStringLiteral("remove"),
                                    c.reasons.join(QStringLiteral(", ")));
            else if (wasKept != c.keep || !e.decision.keep())
                reasons << QStringLiteral("storage %1: %2 by the source's rules")
                               .arg(c.storage, c.keep ? QStringLiteral("keep") : QStringLiteral("remove"));
        }
        if (e.decision.keep() != wasKept || !e.dropStorages().isEmpty() || !e.decision.keep())
            e.decision.reasons << reasons;
    }
}

bool RetentionPruner::executeEntry(Catalog &catalog, Entry &e, BackupDeleter &deleter, bool *deletedRecord) {
    if (deletedRecord)
        *deletedRecord = false;
    if (e.decision.keep()) {
        bool ok = true;
        QStringList moved;
        for (const QString &archive : e.archiveTargets()) {
            const QStringList from = e.moveStorages(archive);
            ArchiveMover mover(deleter.storages(), deleter.secretLookup());
            const ArchiveMover::Outcome out = mover.move(catalog, e.record, from, archive);
            e.notes << out.notes;
            if (out.error) {
                e.notes << QStringLiteral("archive move to %1: %2").arg(archive, out.error.message);
                ok = false;
                continue;
            }
            moved << QStringLiteral("moved from %1 to %2").arg(from.join(QStringLiteral(", ")), archive);
        }
        // The drops as they apply to the record now (the moves changed it; another prune may have too), never the
        // copy a move just made.
        if (const auto fresh = catalog.get(e.record.id))
            e.record = *fresh;
        QStringList drop;
        for (const QString &s : e.dropStorages())
            if (!e.archiveTargets().contains(s) && std::any_of(e.record.locations.cbegin(), e.record.locations.cend(),
                                                               [&](const BackupLocation &l) { return l.storage == s; }))
                drop << s;
        if (drop.isEmpty()) {
            e.outcome = ok ? moved.join(QStringLiteral("; ")) : QStringLiteral("archive move failed");
            if (e.outcome.isEmpty())
                e.outcome = QStringLiteral("keep");
            return ok;
        }
        QStringList why;
        for (const CopyDecision &c : e.copies)
            if (!c.keep)
                why << QStringLiteral("retention of storage %1 (%2): %3")
                           .arg(c.storage, c.policy, c.reasons.join(QStringLiteral(", ")));
        const BackupDeleter::Outcome out =
            deleter.removeStorageCopies(catalog, e.record, drop, why.join(QStringLiteral("; ")));
        for (const QString &m : out.missing)
            e.notes << QStringLiteral("already missing: %1").arg(m);
        if (out.error) {
            e.outcome = QStringLiteral("copy removal failed");
            e.notes << out.error.message;
            return false;
        }
        e.outcome = QStringLiteral("copy removed from %1").arg(drop.join(QStringLiteral(", ")));
        if (!ok)
            e.outcome += QStringLiteral("; archive move failed");
        else if (!moved.isEmpty())
            e.outcome += QStringLiteral("; ") + moved.join(QStringLiteral("; "));
        return ok;
    }
    // EXPIRED under the lease, on the record as it is then: never a write of the plan's stale copy list.
    const BackupDeleter::Outcome out = deleter.deleteBackup(catalog, e.record, /*markExpiredFirst=*/true);
    for (const QString &m : out.missing)
        e.notes << QStringLiteral("already missing: %1").arg(m);
    if (out.error) {
        e.outcome = QStringLiteral("expired, deletion failed");
        e.notes << out.error.message;
        return false;
    }
    e.outcome = QStringLiteral("deleted");
    if (deletedRecord)
        *deletedRecord = true;
    return true;
}

int RetentionPruner::execute(Catalog &catalog, QList<Entry> &entries, BackupDeleter &deleter, int *failed) {
    int deleted = 0;
    int bad = 0;
    for (Entry &e : entries) {
        if (!e.touched())
            continue;
        bool gone = false;
        if (!executeEntry(catalog, e, deleter, &gone))
            ++bad;
        if (gone)
            ++deleted;
    }
    if (failed)
        *failed = bad;
    return deleted;
}

} // namespace lifeboat
