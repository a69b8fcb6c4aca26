#pragma once

#include "CliCommand.h"

#include <QDateTime>
#include <QStringList>

class CliContext;

// lifeboatctl run-due [--as-of TIME] [--schedule NAME]: runs every enabled schedule that is due, one at a time,
// each under its lock, then applies retention to that profile. Safe to call every minute from several machines.
// Then tells the notifiers about scheduled sources without a recent good backup (backup.missed), once per miss,
// about storages low on free space or growing past their threshold (storage.low), once per crossing, and about
// continuous WAL capture that lags, has a gap or fills the server through its slot (wal.lag/gap/slot).
class RunDueCommand {
public:
    static QList<CliCommand> commands();

private:
    static int run(CliContext &ctx, const ArgParser &p);
    static void tellMissedBackups(CliContext &ctx, const QDateTime &now);
    // storage.low: local storages under their free-space threshold, storages over their 24 h growth threshold.
    static void tellStorageLow(CliContext &ctx, const QDateTime &now);
    // wal.lag, wal.gap, wal.slot for profiles with WAL in the catalog (ops/WalCapture), each once per occurrence.
    static void tellWalCapture(CliContext &ctx, const QDateTime &now);
};
