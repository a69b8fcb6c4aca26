#pragma once

#include "core/ExitCode.h"

#include <QProcessEnvironment>
#include <QString>
#include <QTimeZone>

namespace lifeboat {

// What a source keeps, with the semantics of restic's `forget`: each period rule counts periods, not runs. For the
// `daily` most recent calendar days that hold a successful backup, the newest backup of each day is kept; likewise
// hours, ISO weeks, calendar months and calendar years. Periods without a backup are skipped, not counted.
// `last` keeps the N newest; `withinSeconds` keeps everything younger than that. A backup kept by any rule is kept.
class RetentionPolicy {
public:
    // Declared first so `RetentionPolicy{7, 4, 12}` still reads as daily, weekly, monthly.
    int daily = 7;
    int weekly = 4;
    int monthly = 12;
    int hourly = 0;
    int yearly = 0;
    int last = 0;
    qint64 withinSeconds = 0; // 0: no keep-within rule
    // Periods are calendar periods in this zone (the source's schedule's); manual backups always use UTC.
    QTimeZone zone = QTimeZone::utc();
    // A COMPLETED backup whose last verification failed fills no slot and is kept for inspection, unless this is
    // set (`prune --failed-verification`).
    bool pruneFailedVerification = false;
    // Archive storage (`--archive-to`): copies kept only by the monthly/yearly rules move there by verified copy.
    // Empty: they stay where they are. Carried out by RetentionPruner/ArchiveMover, not part of describe(). (`= {}`:
    // a member initializer keeps `RetentionPolicy{7, 4, 12}` free of -Wmissing-field-initializers.)
    QString archiveTo = {};

    static constexpr int kMaxCount = 100000;
    static constexpr qint64 kMaxWithinSeconds = qint64(100) * 366 * 86400;

    // Overrides from BACKUP_RETENTION_LAST / _HOURLY / _DAILY / _WEEKLY / _MONTHLY / _YEARLY (counts) and
    // BACKUP_RETENTION_WITHIN (a duration). Unset or empty variables leave a value alone; anything else that is not
    // valid is a usage error naming the variable, and then nothing changes.
    Error applyEnvironment(const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

    // "7d", "36h", "2w", "1w3d12h" -> seconds; false for anything else (0 is allowed: no rule).
    static bool parseDuration(const QString &text, qint64 *seconds);
    // 604800 -> "7d", 129600 -> "1d12h"
    static QString formatDuration(qint64 seconds);

    // "7 daily, 4 weekly, 12 monthly", with the other rules appended when they are set:
    // "last 3, 24 hourly, 7 daily, 4 weekly, 12 monthly, 7 yearly, within 7d"
    QString describe() const;

    bool operator==(const RetentionPolicy &) const = default;
};

} // namespace lifeboat
