#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/ScheduleRecord.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace lifeboat {

class Catalog;

// The state of one backup source as a monitoring system sees it (`lifeboatctl check`): how old its newest good
// backup is against what its schedule promises, whether its last attempt or last verification failed. The states
// and their numbers are Nagios's, so the CLI's exit status is the worst state.
struct SourceHealth {
    enum class State { Ok = 0, Warning = 1, Critical = 2, Unknown = 3 };

    QString source; // profile / files source / Redis source name
    QString kind;   // database | files | redis
    State state = State::Unknown;
    bool monitored = true; // false: no schedule, no backup and not asked for by name — listed, never alarming
    std::optional<BackupRecord> newestGood;
    qint64 ageSeconds = -1;                  // of the newest good backup (finished), -1 without one
    std::optional<BackupRecord> lastAttempt; // newest finished attempt, good or not
    int failuresSinceGood = 0;               // FAILED attempts newer than the newest good backup
    QDateTime lastVerifiedAt;                // newest verification of any of its backups
    QString lastVerifyOutcome;               // PASSED | FAILED | empty (never verified)
    qint64 lastVerifiedBackupId = 0;
    QStringList schedules;       // enabled schedules backing it up
    QStringList pausedSchedules; // disabled ones
    qint64 periodSeconds = -1;   // the longest gap between two fires of its most frequent enabled schedule
    qint64 warningSeconds = 0;
    qint64 criticalSeconds = 0;
    QString thresholdOrigin; // "schedule NAME", "--warning/--critical" or "default"
    QStringList reasons;     // why the state is not OK, most severe first; each says what to do next
    // Continuous WAL capture (ops/WalCapture::applyTo): database sources with WAL in the catalog.
    bool continuous = false;
    qint64 captureLagSeconds = -1;     // age of the newest WAL stored; -1 without any
    qint64 captureLagLimitSeconds = 0; // twice the receiver's partial-upload interval (WARNING; CRITICAL at twice)
    bool captureLagging = false;       // over the limit with WAL pending on the server (or it did not answer)
    int walMissingSegments = 0;        // segments missing inside the stored ranges (a gap: CRITICAL)

    static QString stateName(State s);
};

// Evaluates every source. Thresholds: `--warning`/`--critical` when given; else from the source's most frequent
// enabled schedule: warning after one period plus a grace of one period or an hour, whichever is longer (the
// issue's backup.missed rule), critical after twice that; a source without a schedule: 26 h and 50 h (a daily
// backup, missed once / twice).
class HealthCheck {
public:
    struct Source {
        QString name;
        QString kind;
        bool named = false; // asked for explicitly (--profile): monitored even without schedule or backup
    };
    struct Options {
        qint64 warningSeconds = -1; // -1: from the schedule or the default
        qint64 criticalSeconds = -1;
    };
    static constexpr qint64 kDefaultWarningSeconds = 26 * 3600;
    static constexpr qint64 kDefaultCriticalSeconds = 50 * 3600;

    static QList<SourceHealth> evaluate(Catalog *catalog, const QList<Source> &sources,
                                        const QList<ScheduleRecord> &schedules, const QDateTime &now,
                                        const Options &options);
    // The longest gap between consecutive fire times of `schedule` around `now`; -1 for a cron that never fires.
    static qint64 periodSeconds(const ScheduleRecord &schedule, const QDateTime &now);
    // "2d 3h", "3h 12m", "12m" ("?" for a negative age): a monitoring line reads at a glance.
    static QString formatAge(qint64 seconds);
    // One line for a terminal or a monitoring system's status text.
    static QString summaryLine(const SourceHealth &h, const QDateTime &now);
};

} // namespace lifeboat
