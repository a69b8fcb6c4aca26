#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/Catalog.h"
#include "core/ExitCode.h"

#include <QJsonObject>

namespace lifeboat {

// A backup attempt that stopped before its catalog record existed — an unreachable server, a table that matches
// nothing, too little free space, a store that would not open — is still an attempt: it is recorded FAILED (or
// CANCELLED) with its error, so History, `lifeboatctl list`, the dashboard's failure count, alerts and retention
// see every backup that was started, not only those that got as far as writing. It names no artifact and no copy.
class FailedAttempt {
public:
    // `record` carries what is known of the attempt (profile, database, kind, type, label, set id, started); the
    // outcome, error, finish time, host and pid are filled in. Returns the new record's id, or 0 when the catalog
    // could not take it (`catalogError` says why).
    static qint64 record(Catalog *catalog, BackupRecord record, const Error &e, QString *catalogError);
    // The job result's details for such an attempt (id, status, error), like a failed run's.
    static QJsonObject details(qint64 id, const Error &e);
};

} // namespace lifeboat
