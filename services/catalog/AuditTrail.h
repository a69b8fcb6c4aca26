#pragma once

#include "catalog/AuditEntry.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace lifeboat {

class Catalog;

// The process-wide writer of the audit trail. A program installs its catalog once (lifeboatctl when it opens the
// catalog, the desktop app in AppContext::open); the places that see an action happen — the catalog's record,
// schedule and notifier mutators, ConfigStore::save, JobRunner for restores and verifications — call record(), so
// each action is written once, whichever front end asked for it. Without an installed catalog record() does
// nothing (unit tests, tools).
//
// The desktop app writes from one background thread (`background`), so the GUI thread never waits for the catalog;
// lifeboatctl writes synchronously, so a row exists when the command returns. A failed write is logged to
// stderr, never fails the action.
class AuditTrail {
public:
    static void install(std::shared_ptr<Catalog> catalog, const QString &program, bool background);
    static void uninstall(); // waits for queued writes
    static bool active();

    static void record(const QString &action, const QString &target, const QString &outcome, qint64 backupId = 0,
                       const QString &detail = QString());
    // What this copy of the configuration changed, by section and item name: profile.add|change|remove,
    // storage.…, files.…, redis.…, mirror.…, set.…, settings.change (option names only, never values).
    static void recordConfigChanges(const QJsonObject &before, const QJsonObject &after);
    // Waits until every queued write is done (background mode).
    static void flush();

    // The OS account running this process (from the password database, not $USER, which anyone can set).
    static QString osUser();
};

} // namespace lifeboat
