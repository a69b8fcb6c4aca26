#include "ops/WalCapture.h"

#include "catalog/Catalog.h"
#include "ops/HealthCheck.h"
#include "pg/Conninfo.h"
#include "pg/PgSession.h"
#include "wal/WalName.h"
#include "wal/WalReceiver.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace lifeboat {

namespace {

QString mib(qint64 bytes) {
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString slotOf(const WalCapture::ReceiverSettings &s, const QString &profile) {
    return s.slot.isEmpty() ? WalReceiver::defaultSlot(profile) : s.slot;
}

// One lag is one occurrence: keyed by the moment the archive was last current.
QString lagKey(const WalCapture::Health &h) {
    return QStringLiteral("lag:%1:%2").arg(h.profile, h.freshAt.toUTC().toString(Qt::ISODate));
}

// "X/Y" → the segment number holding that position (no boundary quirk, unlike pg_walfile_name).
std::optional<quint64> segmentOfLsn(const QString &lsn, qint64 segmentSize) {
    const int slash = lsn.indexOf(QLatin1Char('/'));
    if (slash <= 0 || segmentSize <= 0)
        return std::nullopt;
    bool ok1 = false;
    bool ok2 = false;
    const quint64 hi = lsn.left(slash).toULongLong(&ok1, 16);
    const quint64 lo = lsn.mid(slash + 1).toULongLong(&ok2, 16);
    if (!ok1 || !ok2)
        return std::nullopt;
    return ((hi << 32) | lo) / static_cast<quint64>(segmentSize);
}

} // namespace

QString WalCapture::settingsPath(const QString &home, const QString &profile) {
    return WalReceiver::statusPath(QDir(home).filePath(QStringLiteral("wal-spool/%1").arg(profile)));
}

WalCapture::ReceiverSettings WalCapture::settings(const QString &home, const QString &profile) {
    ReceiverSettings s;
    QFile f(settingsPath(home, profile));
    if (!f.open(QIODevice::ReadOnly))
        return s;
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    if (o.isEmpty())
        return s;
    s.partialUploadSeconds = o.value(QStringLiteral("partialUploadSeconds")).toInt(s.partialUploadSeconds);
    s.warnRetainedBytes = o.value(QStringLiteral("warnRetainedBytes")).toInteger(s.warnRetainedBytes);
    s.slot = o.value(QStringLiteral("slot")).toString();
    s.currentAt = QDateTime::fromString(o.value(QStringLiteral("currentAt")).toString(), Qt::ISODate);
    s.recorded = true;
    return s;
}

WalCapture::Server WalCapture::probe(const Profile &profile, const QString &password) {
    Server out;
    out.asked = true;
    Error err;
    const Conninfo ci = Conninfo::parse(profile.conninfo, &err);
    if (!ci.isValid()) {
        out.error = err.message;
        return out;
    }
    PgSession s;
    if (!s.connect(ci, password, 5)) {
        out.error = s.error().message;
        return out;
    }
    PgSession::Rows rows;
    if (!s.exec(QStringLiteral("SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() THEN NULL ELSE "
                               "pg_current_wal_lsn()::text END, (SELECT timeline_id FROM pg_control_checkpoint()), "
                               "current_setting('wal_segment_size')"),
                {}, &rows) ||
        rows.isEmpty()) {
        out.error = s.error().message;
        return out;
    }
    out.reachable = true;
    const QStringList r = rows.first();
    out.inRecovery = r.value(0) == QLatin1String("t");
    bool ok = false;
    const qint64 segmentSize = r.value(3).toLongLong(&ok);
    if (const auto n = segmentOfLsn(r.value(1), ok ? segmentSize : 16 * 1024 * 1024))
        out.currentSegment = WalName::segmentName(r.value(2).toUInt(), *n, ok ? segmentSize : 16 * 1024 * 1024);
    rows.clear();
    if (s.exec(QStringLiteral("SELECT slot_name, active, CASE WHEN pg_is_in_recovery() OR restart_lsn IS NULL THEN "
                              "NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint END FROM "
                              "pg_replication_slots WHERE slot_type = 'physical' ORDER BY slot_name"),
               {}, &rows)) {
        for (const QStringList &row : std::as_const(rows))
            out.replicationSlots.append({row.value(0), row.value(1) == QLatin1String("t"),
                                         row.value(2).isNull() ? -1 : row.value(2).toLongLong()});
    }
    return out;
}

WalCapture::Health WalCapture::evaluate(const Profile &profile, const QList<WalFileRecord> &rows,
                                        const ReceiverSettings &settings, const Server &server, const QDateTime &now) {
    Health h;
    h.profile = profile.name;
    h.window = WalWindow::compute(profile.name, rows);
    h.settings = settings;
    h.server = server;
    // 0 means "partials only at stop": the alert then uses the default interval, or it could never fire.
    const int interval = settings.partialUploadSeconds > 0 ? settings.partialUploadSeconds : 60;
    h.lagLimitSeconds = 2LL * interval;
    h.freshAt = h.window.newestStored;
    if (settings.currentAt.isValid() && (!h.freshAt.isValid() || settings.currentAt > h.freshAt))
        h.freshAt = settings.currentAt;
    if (h.window.newestStored.isValid())
        h.lagSeconds = std::max<qint64>(0, h.freshAt.secsTo(now));
    for (const WalWindow::Timeline &t : h.window.timelines) {
        if (t.missingCount == 0)
            continue;
        h.missing += t.missing;
        h.missingCount += t.missingCount;
    }
    const QString slotName = slotOf(settings, profile.name);
    std::optional<Slot> slot;
    for (const Slot &s : server.replicationSlots)
        if (s.name == slotName)
            slot = s;
    if (slot && slot->retainedBytes > settings.warnRetainedBytes)
        h.slotOverLimit = slot;

    // Is there WAL on the server that storage lacks? Only the server can say; without its answer an old archive
    // counts as lagging (a stale archive of an unreachable server is worth telling).
    bool pending = true;
    if (!server.asked) {
        h.pending = QStringLiteral("the server was not asked");
    } else if (!server.reachable) {
        h.pending = QStringLiteral("the server did not answer (%1)").arg(server.error.simplified().left(200));
    } else if (server.inRecovery || server.currentSegment.isEmpty()) {
        h.pending = QStringLiteral("the server is a standby: its position is not compared");
    } else {
        const quint32 tli = server.currentSegment.left(8).toUInt(nullptr, 16);
        QString last;
        for (const WalWindow::Timeline &t : h.window.timelines)
            if (t.timeline == tli)
                last = t.last;
        if (last.isEmpty()) {
            h.pending = QStringLiteral("nothing of the server's timeline %1 is stored").arg(tli);
        } else {
            h.segmentsNotArchived = std::max<qint64>(
                0, static_cast<qint64>(WalName::segmentNumber(server.currentSegment, h.window.segmentSize)) -
                       static_cast<qint64>(WalName::segmentNumber(last, h.window.segmentSize)) - 1);
            if (h.segmentsNotArchived > 0) {
                h.pending = QStringLiteral("%1 finished segment(s) on the server are not in storage (the server "
                                           "writes %2, storage ends at %3)")
                                .arg(h.segmentsNotArchived)
                                .arg(server.currentSegment, last);
            } else if (slot && !slot->active) {
                h.pending = QStringLiteral("no receiver is connected to slot %1").arg(slot->name);
            } else if (slot && !settings.recorded && slot->retainedBytes >= 0 &&
                       slot->retainedBytes <= h.window.segmentSize) {
                // A receiver on another machine: its confirmations are not here. Connected and at most a segment
                // behind (pg_receivewal reports flushes per segment) is as current as this machine can tell.
                pending = false;
                h.pending = QStringLiteral("a receiver is connected to slot %1 and keeps up").arg(slot->name);
            } else if (slot) {
                // A running receiver confirms every interval, idle or not: silence means it cannot store.
                h.pending = QStringLiteral("the receiver on slot %1 is connected but has not stored or confirmed its "
                                           "WAL")
                                .arg(slot->name);
            } else {
                // Archived by archive_command and every finished segment is stored: the segment being filled is
                // all the server has, as with any archive_command (an idle server, nothing to tell).
                pending = false;
                h.pending = QStringLiteral("every finished segment is stored (idle)");
            }
        }
    }
    h.lagging = h.lagSeconds > h.lagLimitSeconds && pending;
    return h;
}

QList<WalCapture::Health> WalCapture::evaluateAll(Catalog *catalog, const QList<Profile> &profiles, const QString &home,
                                                  const QDateTime &now, const PasswordLookup &password) {
    QList<Health> out;
    for (const Profile &p : profiles) {
        WalFileFilter filter;
        filter.profile = p.name;
        const QList<WalFileRecord> rows = catalog->walFiles(filter);
        if (rows.isEmpty())
            continue; // no continuous capture for this profile
        Server server;
        if (password)
            server = probe(p, password(p.name));
        ReceiverSettings s = settings(home, p.name);
        // No receiver here (another machine's, or the app's not started yet): the profile's own interval.
        if (!s.recorded && p.partialUploadSeconds > 0)
            s.partialUploadSeconds = p.partialUploadSeconds;
        out << evaluate(p, rows, s, server, now);
    }
    return out;
}

QList<WalCapture::Alert> WalCapture::alerts(const Health &h) {
    QList<Alert> out;
    const QString wal = QStringLiteral("lifeboatctl wal status %1").arg(h.profile);
    if (h.lagging) {
        Alert a;
        a.key = lagKey(h);
        Notification &n = a.notification;
        n.event = QStringLiteral("wal.lag");
        n.failure = true;
        n.profile = h.profile;
        n.subject =
            QStringLiteral("Lifeboat: WAL capture of %1 lags %2 (limit %3)")
                .arg(h.profile, HealthCheck::formatAge(h.lagSeconds), HealthCheck::formatAge(h.lagLimitSeconds));
        n.text = QStringLiteral("The WAL of %1 in storage was last known current %2 (%3 ago), more than twice the "
                                "partial-upload interval (%4 s); %5. Writes since then are not recoverable yet.\n"
                                "Next: make sure `lifeboatctl wal receive %1` is running (`systemctl --user status "
                                "lifeboat-wal-receive-%1`) or archive_command succeeds, then read `%6`.")
                     .arg(h.profile, h.freshAt.toUTC().toString(Qt::ISODate), HealthCheck::formatAge(h.lagSeconds))
                     .arg(h.settings.partialUploadSeconds)
                     .arg(h.pending, wal);
        n.fields = QJsonObject{{QStringLiteral("lagSeconds"), h.lagSeconds},
                               {QStringLiteral("lagLimitSeconds"), h.lagLimitSeconds},
                               {QStringLiteral("newestStored"), h.window.newestStored.toUTC().toString(Qt::ISODate)},
                               {QStringLiteral("segmentsNotArchived"), h.segmentsNotArchived},
                               {QStringLiteral("pending"), h.pending}};
        out << a;
    }
    if (h.missingCount > 0) {
        Alert a;
        a.key = QStringLiteral("gap:%1:%2").arg(h.profile, h.missing.value(0));
        Notification &n = a.notification;
        n.event = QStringLiteral("wal.gap");
        n.failure = true;
        n.profile = h.profile;
        const QStringList named = h.missing.mid(0, 10);
        n.subject = QStringLiteral("Lifeboat: WAL archive of %1 has a gap: %2 segment(s) missing from %3")
                        .arg(h.profile)
                        .arg(h.missingCount)
                        .arg(h.missing.value(0));
        n.text = QStringLiteral("Storage lacks %1 WAL segment(s) of %2 inside the archived range: %3%4. Recovery "
                                "cannot pass a gap: points in time after it are reachable only from a base backup "
                                "taken after it.\nNext: push the segments if the server still has them (`lifeboatctl "
                                "wal push %2 PATH`), else take a base backup now (`lifeboatctl basebackup %2`); see "
                                "`%5`.")
                     .arg(h.missingCount)
                     .arg(h.profile, named.join(QStringLiteral(", ")),
                          h.missingCount > named.size() ? QStringLiteral(", …") : QString(), wal);
        n.fields = QJsonObject{{QStringLiteral("missing"), QJsonArray::fromStringList(h.missing)},
                               {QStringLiteral("missingCount"), h.missingCount}};
        out << a;
    }
    if (h.slotOverLimit) {
        const Slot &s = *h.slotOverLimit;
        Alert a;
        a.key = QStringLiteral("slot:%1:%2").arg(h.profile, s.name);
        Notification &n = a.notification;
        n.event = QStringLiteral("wal.slot");
        n.failure = true;
        n.profile = h.profile;
        n.subject = QStringLiteral("Lifeboat: slot %1 of %2 holds %3 of WAL on the server (limit %4)")
                        .arg(s.name, h.profile, mib(s.retainedBytes), mib(h.settings.warnRetainedBytes));
        n.text = QStringLiteral("Replication slot %1 keeps %2 of WAL on the server of %3 (%4), over the limit of %5: "
                                "the receiver is behind or stopped, and the server's disk fills until it catches "
                                "up.\nNext: start or fix `lifeboatctl wal receive %3`; if capture is abandoned, drop "
                                "the slot (`SELECT pg_drop_replication_slot('%1')`).")
                     .arg(s.name, mib(s.retainedBytes), h.profile,
                          s.active ? QStringLiteral("receiver connected") : QStringLiteral("no receiver connected"),
                          mib(h.settings.warnRetainedBytes));
        n.fields = QJsonObject{{QStringLiteral("slot"), s.name},
                               {QStringLiteral("retainedBytes"), s.retainedBytes},
                               {QStringLiteral("limitBytes"), h.settings.warnRetainedBytes},
                               {QStringLiteral("active"), s.active}};
        out << a;
    }
    return out;
}

void WalCapture::applyTo(SourceHealth *source, const Health &h) {
    using State = SourceHealth::State;
    SourceHealth &s = *source;
    if (!s.monitored) {
        s.monitored = true;
        s.state = State::Ok;
        s.reasons.clear();
    }
    s.continuous = true;
    s.captureLagSeconds = h.lagSeconds;
    s.captureLagLimitSeconds = h.lagLimitSeconds;
    s.captureLagging = h.lagging;
    s.walMissingSegments = h.missingCount;
    auto raise = [&s](State st, const QString &reason) {
        if (int(st) > int(s.state) || s.state == State::Unknown)
            s.state = st;
        s.reasons << reason;
    };
    if (h.missingCount > 0)
        raise(State::Critical, QStringLiteral("WAL gap: %1 segment(s) missing from %2: push them or take a base "
                                              "backup (`lifeboatctl wal status %3`)")
                                   .arg(h.missingCount)
                                   .arg(h.missing.value(0), h.profile));
    if (h.lagging)
        raise(h.lagSeconds > 2 * h.lagLimitSeconds ? State::Critical : State::Warning,
              QStringLiteral("WAL capture lags %1 (limit %2; %3): check `lifeboatctl wal receive %4` or "
                             "archive_command")
                  .arg(HealthCheck::formatAge(h.lagSeconds), HealthCheck::formatAge(h.lagLimitSeconds), h.pending,
                       h.profile));
    if (h.slotOverLimit)
        raise(State::Warning,
              QStringLiteral("slot %1 holds %2 of WAL on the server (limit %3): the receiver is "
                             "behind or stopped")
                  .arg(h.slotOverLimit->name, mib(h.slotOverLimit->retainedBytes), mib(h.settings.warnRetainedBytes)));
}

QStringList WalCapture::ongoing(const Health &h) {
    QStringList keys;
    if (h.freshAt.isValid())
        keys << lagKey(h);
    // The slot is judged only when the server answers: while it does not, a slot already told stays told, or a
    // flapping connection would tell it again each time the server comes back.
    if (!h.server.reachable)
        keys << QStringLiteral("slot:%1:%2").arg(h.profile, slotOf(h.settings, h.profile));
    return keys;
}

QList<WalCapture::Alert> WalCapture::untold(const QList<Alert> &current, QStringList *alerted,
                                            const QStringList &ongoing) {
    QList<Alert> fresh;
    QStringList now;
    for (const QString &k : ongoing)
        if (alerted->contains(k))
            now << k;
    for (const Alert &a : current) {
        if (!now.contains(a.key))
            now << a.key;
        if (!alerted->contains(a.key))
            fresh << a;
    }
    *alerted = now;
    return fresh;
}

} // namespace lifeboat
