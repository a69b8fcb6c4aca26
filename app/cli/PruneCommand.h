#pragma once

#include "CliCommand.h"
#include "retention/RetentionPolicy.h"

#include <QDateTime>
#include <QJsonArray>
#include <QStringList>

#include <optional>

class CliContext;

// lifeboatctl prune [--dry-run] [--profile P] [--keep-last|hourly|daily|weekly|monthly|yearly N]
//                   [--keep-within DURATION] [--archive-to STORAGE] [--failed-verification] [--as-of TIME]
class PruneCommand {
public:
    static QList<CliCommand> commands();
    static int run(CliContext &ctx, const ArgParser &p);

    struct Overrides {
        int daily = -1;
        int weekly = -1;
        int monthly = -1;
        int hourly = -1;
        int yearly = -1;
        int last = -1;
        qint64 withinSeconds = -1;
        bool failedVerification = false; // delete backups whose verification failed
        QString archiveTo;               // --archive-to (empty: the setting retentionArchiveTo)
    };
    // Applies retention to one profile (empty: every profile in the catalog). Decisions are printed (JSON objects
    // appended to *json when given); EXPIRED records are deleted through BackupDeleter unless dryRun. Returns an
    // exit code: 0, or 2 when some copy could not be deleted (its record stays EXPIRED for the next prune) or
    // moved to archive storage (the original stays). With
    // `kind`, only that kind's records (run-due after a database schedule leaves a same-named directory alone); kind
    // "database" or "base" also takes the profile's base backups (their own series, by the database backups' rules).
    // Then, unless another kind was asked for, the WAL the remaining base backups do not need goes (WalPruner),
    // reported as entries of kind "wal"; 2 also when some of it could not be removed.
    static int prune(CliContext &ctx, const QString &profile, const Overrides &overrides, const QDateTime &now,
                     bool dryRun, QJsonArray *json, const QString &kind = QString());
};
