#pragma once

#include "ops/UseCaseContext.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace lifeboat {

// A backup of a directory (a file source, or any path named on the command line): `lifeboatctl files backup` and
// file source schedules (run-due, the tray runner) start it here. Resolves the source, its storages, recipients
// and S3 secrets (ctx.secrets), watches for stalls, and finished() sends the outcome notification.
class FilesBackup {
public:
    struct Request {
        QString source;              // the file source (or the name a --path run is recorded under)
        std::optional<QString> path; // unset: the source's
        QStringList excludes;        // added to the source's
        QString compression;         // gzip | zstd | none; empty: the source's (zstd without a source)
        int level = -1;              // -1: the codec's default
        QString type;                // MANUAL (default) | DAILY | ...
        QString label;
        std::optional<QStringList> recipients; // unset: the source's
        bool passphrase = false;               // an age passphrase (from ctx.secrets) instead of recipients
        QStringList storages;                  // empty: the source's
        QString schedule;                      // a scheduled run: errors and the notification name the schedule
    };

    static QStringList secretKeys(const ConfigStore &config, const Request &request);
    static PreparedJob prepare(const UseCaseContext &ctx, const Request &request);
};

} // namespace lifeboat
