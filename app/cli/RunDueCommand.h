#pragma once

#include <QDateTime>
#include <QStringList>

class CliContext;

// lifeboatctl run-due [--as-of TIME] [--schedule NAME]: runs every enabled schedule that is due, one at a time,
// each under its lock, then applies retention to that profile. Safe to call every minute from several machines.
// Then tells the notifiers about scheduled sources without a recent good backup (backup.missed), once per miss,
// and about local storages low on free space (storage.low), once per crossing.
class RunDueCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);

private:
    static void tellMissedBackups(CliContext &ctx, const QDateTime &now);
    // storage.low: local storages under their free-space threshold, told once per crossing.
    static void tellStorageLow(CliContext &ctx);
};
