#pragma once

#include "ops/UseCaseContext.h"
#include "schedule/DueRunner.h"

#include <QStringList>

namespace lifeboat {

// The backup of a claimed schedule (DueRunner::claim), by its source kind: a database, base, file or Redis backup
// request with the schedule's storages (or the source's), the run's type and label "schedule NAME", handed to the
// use case of that kind - so `lifeboatctl run-due`, `set run-due` and the desktop app's tray runner build a
// scheduled job exactly as a backup started by hand, with the schedule named in errors and notifications. Drills
// (kind "verify") are the Verify use case's.
class ScheduledBackup {
public:
    // The credential store keys prepare() reads for the claim: for the desktop app, which reads them on a worker.
    static QStringList secretKeys(const ConfigStore &config, const DueRunner &runner, const DueRunner::Claim &claim);
    // The job of the claim. Unlike a backup by hand, a run that cannot even start is still a run: when no job can be
    // built, `error` is set and finished() is too, so the failed run is told (backup.failed) once the front end
    // has recorded it (DueRunner::finish) - call finished(result) with the result holding that error.
    static PreparedJob prepare(const UseCaseContext &ctx, const DueRunner &runner, const DueRunner::Claim &claim);
};

} // namespace lifeboat
