#pragma once

#include "catalog/ScheduleRecord.h"
#include "notify/Notification.h"
#include "ops/HealthCheck.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

namespace lifeboat {

class Catalog;

// backup.missed: a scheduled source whose newest good backup is older than its schedule's period plus a grace (one
// period or an hour, whichever is longer — HealthCheck's warning age), or that never had one that long after its
// schedule was added. Noticed by every runner (`run-due`, the desktop's tray runner) but told once per miss: a miss
// is identified by the source and its newest good backup, so the next alert comes only after a good backup and a
// new miss. Runners keep the identities they have told in `alerted` (settings key kSettingsKey, per machine).
class MissedBackups {
public:
    static constexpr const char *kSettingsKey = "missedBackupAlerts";

    struct Miss {
        QString key; // "kind/source#newestGoodId"
        SourceHealth health;
        Notification notification;
    };

    // Every current miss, told or not.
    static QList<Miss> detect(Catalog *catalog, const QList<ScheduleRecord> &schedules, const QDateTime &now);
    // The misses not yet told; `alerted` is updated to the current misses (so a healed source is forgotten).
    static QList<Miss> untold(const QList<Miss> &current, QStringList *alerted);
};

} // namespace lifeboat
