#pragma once

#include "CliCommand.h"

#include <QString>

#include <optional>
#include <utility>

class ArgParser;
class CliContext;
namespace lifeboat {
struct StorageConfig;
}

// The keep-* options, declared once for every command that takes retention rules (prune, schedule add, storage
// add/set, set add/set), so their names, value checks and error messages cannot drift apart.
struct RetentionFlags {
    enum class Use {
        Prune,    // this run only; help names the defaults
        Schedule, // a source's override
        Storage,  // a storage's own rules for its copies
        Set,      // an application backup set's rules
    };

    int last = -1; // -1: not given
    int hourly = -1;
    int daily = -1;
    int weekly = -1;
    int monthly = -1;
    int yearly = -1;
    qint64 withinSeconds = -1;
    // --archive-to STORAGE (prune, storage add/set); empty with archiveToSet: cleared (storage set).
    QString archiveTo;
    bool archiveToSet = false;

    // "[--keep-last N] [--keep-hourly N] … [--keep-within DURATION]" for a synopsis
    static QString synopsis();
    static CliOptions options(Use use);
    // Reads the options; on a bad value prints the usage error and returns its exit code.
    static std::optional<int> read(CliContext &ctx, const ArgParser &p, RetentionFlags *out);
    // --archive-to, declared for prune and storage add/set: copies kept only by monthly/yearly rules move to that
    // storage by verified copy. readArchiveTo checks the storage is configured (and is not `self`).
    static CliOptions archiveToOptions(Use use);
    static std::optional<int> readArchiveTo(CliContext &ctx, const ArgParser &p, RetentionFlags *out,
                                            const QString &self = QString());
    // Refuses (usage error, exit 3, with the reason) an archive storage that overlaps `source` (same or nested local
    // directory; same endpoint and bucket with equal or nested prefixes): its copy could land on the original, whose
    // removal then takes the only copy. With no `source`, every other configured storage is one.
    static std::optional<int> refuseOverlap(CliContext &ctx, const QString &archive,
                                            const lifeboat::StorageConfig *source = nullptr);

    // Sets the rules given on `target` (a StorageConfig or SetConfig: keepLast … keepWithinSeconds), leaves the others.
    template <typename T> void applyTo(T *target) const {
        for (const auto &[given, field] :
             {std::pair{last, &target->keepLast}, std::pair{hourly, &target->keepHourly},
              std::pair{daily, &target->keepDaily}, std::pair{weekly, &target->keepWeekly},
              std::pair{monthly, &target->keepMonthly}, std::pair{yearly, &target->keepYearly}})
            if (given >= 0)
                *field = given;
        if (withinSeconds >= 0)
            target->keepWithinSeconds = withinSeconds;
    }

    bool any() const {
        return last >= 0 || hourly >= 0 || daily >= 0 || weekly >= 0 || monthly >= 0 || yearly >= 0 ||
               withinSeconds >= 0;
    }
};
