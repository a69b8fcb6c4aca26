#pragma once

#include <QString>
#include <QStringList>

namespace lifeboat {

// An application backup set: a database profile with the directories, bucket mirrors and Redis sources that belong
// to the same application, captured together under one set id, on one schedule, kept or expired as a whole.
struct SetConfig {
    QString name;
    QString profile;      // database profile (backed up first)
    QStringList files;    // file source names
    QStringList mirrors;  // mirror names
    QStringList redis;    // Redis source names
    QStringList storages; // where the database (and files/Redis) artifacts go; empty = the profile's defaults
    QString cron;         // empty = not scheduled
    QString timeZone;
    QString created;    // ISO 8601 UTC; a never-captured set's schedule counts fire times from here
    int keepDaily = -1; // -1 = the retention policy in effect
    int keepWeekly = -1;
    int keepMonthly = -1;
    int keepHourly = -1;
    int keepYearly = -1;
    int keepLast = -1;
    qint64 keepWithinSeconds = -1;
};

} // namespace lifeboat
