#pragma once

#include "ops/UseCaseContext.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace lifeboat {

// A base backup (pg_basebackup) of a profile's cluster, for point-in-time recovery: `lifeboatctl basebackup` and
// base backup schedules (run-due, the tray runner) start it here. Resolves the profile, its storages (the
// request's or the profile's defaults), recipients and the password (ctx.secrets), watches for stalls, and
// finished() sends the outcome notification.
class BaseBackup {
public:
    struct Request {
        QString profile;
        QStringList storages; // empty: the profile's defaults
        QString type;         // MANUAL (default) | DAILY | WEEKLY | MONTHLY, combined as "DAILY,WEEKLY"
        QString label;
        std::optional<QStringList> recipients; // unset: the profile's
        bool passphrase = false;               // an age passphrase (from ctx.secrets) instead of recipients
        QString schedule;                      // a scheduled run: errors and the notification name the schedule
    };

    static QStringList secretKeys(const ConfigStore &config, const Request &request);
    static PreparedJob prepare(const UseCaseContext &ctx, const Request &request);
};

} // namespace lifeboat
