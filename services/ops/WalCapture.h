#pragma once

#include "catalog/Profile.h"
#include "notify/Notification.h"
#include "ops/HealthCheck.h"
#include "wal/WalWindow.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace lifeboat {

class Catalog;

// The health of a profile's continuous WAL capture (issue 17 item 6, issue 18 item 2), for `run-due`, the desktop's
// tray runner and `check`. A profile is under continuous capture when the catalog holds WAL of it. Three alerts,
// each told once per occurrence through the notifiers (the identities told are kept in the settings key
// kSettingsKey, per machine, as backup.missed does):
//  - wal.lag: the archive was last known current (the newest WAL stored, or a running receiver's confirmation that
//    storage holds all it received — it confirms every partial-upload interval, idle or not) longer ago than twice
//    the partial-upload interval, and WAL may be pending: the server has finished segments storage lacks, no
//    receiver is connected to the slot, a connected receiver stopped confirming, or the server cannot be asked. An
//    idle server archived by `wal push` (no slot, no finished segment missing) is no lag. Identified by that time:
//    once new WAL is stored or confirmed, a later lag is told again.
//  - wal.gap: segments missing inside a timeline's stored range (named); identified by the first missing one.
//  - wal.slot: the replication slot holds more WAL on the server than the receiver's --warn-retained limit; told
//    again only after it fell under the limit.
// The interval, limit and slot are what `wal receive` last ran with (WalReceiver::statusPath, beside its spool);
// without that file (another machine's receiver, `wal push` only), the profile's partial-upload interval (60 s unless
// set) and the receiver's defaults (1024 MiB, lifeboat_PROFILE).
class WalCapture {
public:
    static constexpr const char *kSettingsKey = "walCaptureAlerts";

    struct ReceiverSettings {
        int partialUploadSeconds = 60;
        qint64 warnRetainedBytes = 1024LL * 1024 * 1024;
        QString slot;          // empty: WalReceiver's default for the profile
        bool recorded = false; // read from the receiver's file, not defaults
        // When the running receiver last found storage holding everything it had received (invalid: never).
        QDateTime currentAt;
    };
    struct Slot {
        QString name;
        bool active = false;
        qint64 retainedBytes = -1; // -1: not known (no restart LSN, or a standby)
    };
    // What the server says; reachable false with the error when it was asked and did not answer.
    struct Server {
        bool asked = false;
        bool reachable = false;
        QString error;
        bool inRecovery = false;
        QString currentSegment; // the segment the server is writing
        QList<Slot> replicationSlots;
    };
    struct Health {
        QString profile;
        WalWindow::Report window;
        ReceiverSettings settings;
        Server server;
        QDateTime freshAt;          // newest WAL stored, or the receiver's later confirmation that it is current
        qint64 lagSeconds = -1;     // now - freshAt; -1 without any WAL stored
        qint64 lagLimitSeconds = 0; // twice the partial-upload interval
        bool lagging = false;       // lagSeconds over the limit and WAL pending (or the server not asked/answering)
        QString pending;            // why WAL counts as pending: what the server said, or that it was not asked
        qint64 segmentsNotArchived = -1; // finished on the server, newer than the newest stored; -1: unknown
        QStringList missing;             // segments missing inside stored ranges, "TLI:first" per timeline gap
        int missingCount = 0;
        std::optional<Slot> slotOverLimit;
    };
    struct Alert {
        QString key; // "lag|gap|slot:PROFILE:…"
        Notification notification;
    };
    // A profile's password for asking its server; empty std::function: the servers are not asked.
    using PasswordLookup = std::function<QString(const QString &profile)>;

    static QString settingsPath(const QString &home, const QString &profile);
    static ReceiverSettings settings(const QString &home, const QString &profile);
    static Server probe(const Profile &profile, const QString &password);
    static Health evaluate(const Profile &profile, const QList<WalFileRecord> &rows, const ReceiverSettings &settings,
                           const Server &server, const QDateTime &now);
    // Every profile with WAL in the catalog, its server asked when `password` is set.
    static QList<Health> evaluateAll(Catalog *catalog, const QList<Profile> &profiles, const QString &home,
                                     const QDateTime &now, const PasswordLookup &password);
    static QList<Alert> alerts(const Health &h);
    // Keys of occurrences that go on even when not alerting now (a lag is one occurrence until new WAL is stored or
    // confirmed current): untold keeps them in `alerted`, so a run that judged at another time (--as-of) or a
    // moment under the limit does not make the same lag new again.
    static QStringList ongoing(const Health &h);
    // `check`: the capture figures and states into the source's health — lagging WARNING (CRITICAL past twice the
    // limit), a gap CRITICAL, the slot over its limit WARNING; a source watched only through its WAL is monitored.
    static void applyTo(SourceHealth *source, const Health &h);
    // The alerts not yet told; `alerted` becomes the current ones (an occurrence that ended is forgotten).
    static QList<Alert> untold(const QList<Alert> &current, QStringList *alerted, const QStringList &ongoing = {});
};

} // namespace lifeboat
