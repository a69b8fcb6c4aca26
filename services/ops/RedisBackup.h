#pragma once

#include "ops/UseCaseContext.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace lifeboat {

// A backup of a Redis server (a Redis source, or a URL named on the command line): `lifeboatctl redis backup` and
// Redis source schedules (run-due, the tray runner) start it here. Resolves the source, its URL and password (the
// URL's, else ctx.secrets under RedisSourceConfig::passwordKey), storages, recipients, watches for stalls, and
// finished() sends the outcome notification.
class RedisBackup {
public:
    struct Request {
        QString source;             // the Redis source (or the name a --url run is recorded under)
        std::optional<QString> url; // unset: the source's
        // The password is asked for even without a configured source: the front end answers the source's
        // password key itself (lifeboatctl --password-stdin / --secret-env).
        bool passwordGiven = false;
        QString compression; // gzip | zstd | none; empty: the source's (gzip without a source)
        int level = -1;
        QString type; // MANUAL (default) | DAILY | ...
        QString label;
        std::optional<QString> rdbPath; // unset: the source's
        std::optional<QString> caFile;  // unset: the source's
        std::optional<QStringList> recipients;
        bool passphrase = false;
        QStringList storages; // empty: the source's
        QString schedule;     // a scheduled run: errors and the notification name the schedule
    };

    static QStringList secretKeys(const ConfigStore &config, const Request &request);
    static PreparedJob prepare(const UseCaseContext &ctx, const Request &request);
};

} // namespace lifeboat
