#pragma once

#include "pg/Conninfo.h"
#include "restore/RestoreJob.h"
#include "restore/RestoreOptions.h"
#include "restore/SafetyCheck.h"

#include <optional>

namespace lifeboat {

// Whether a restore's target is the server of a production profile, however the target was spelled: the target's
// server identity (system identifier and port) against every production profile's. Fails closed: a target whose
// identity is unknown, or a production profile that could not be probed, makes the target production (typed
// confirmation and a safety backup of the target), since it cannot be proved not to be that server. Apart from
// RestoreJob's checks because it connects to other servers than the target, each with its own password.
class ProductionGuard {
public:
    using Server = RestoreJob::Request::ProductionServer;

    // Nothing to decide (the target is production already, or there are no production profiles): no check. Else
    // the "production" check; when the target is (or may be) a production server, `options` is marked production
    // for that profile and `safetyBackup` becomes that profile's.
    static std::optional<SafetyCheck> check(const QList<Server> &servers, const Conninfo &target,
                                            const QString &targetPassword, RestoreOptions *options,
                                            RestoreJob::SafetyBackupFactory *safetyBackup);
};

} // namespace lifeboat
