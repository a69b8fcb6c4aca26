#pragma once

#include <QString>
#include <QStringList>

namespace lifeboat {

// What to restore where; shared by `lifeboatctl restore` and the GUI's restore wizard.
struct RestoreOptions {
    QString targetConninfo; // libpq conninfo of the target server (a profile's or a URI); no password
    QString targetProfile;  // the profile's name, empty for a bare URI
    bool targetProduction = false;
    QString postRestoreCommand; // the profile's command, run with PG* variables after a successful restore
    QString targetDb;
    bool create = false; // create targetDb (it must not exist); otherwise it must exist
    bool clean = false;  // drop the archive's objects first (--clean --if-exists)
    bool dataOnly = false;
    bool schemaOnly = false;
    QStringList tables; // only these tables, each with its data, indexes, constraints, triggers, sequences
    // pg_restore --jobs; kAutoJobs lets the job choose (RestoreEngine::autoJobs): `lifeboatctl restore` without
    // --jobs. Callers that set nothing keep one streamed job.
    static constexpr int kAutoJobs = 0;
    int jobs = 1;
    bool noOwner = true;
    bool noAcl = false;
    bool dryRun = false;
    QString confirm; // must equal targetDb to restore into an existing database
    bool noSafetyBackup = false;
    bool terminateConnections = false;
    // Before restoring, create the roles the target server lacks from the backup's roles companion (profile
    // --globals); existing roles are left alone. A backup without the companion is refused.
    bool createMissingRoles = false;
    // Set by the job, not the caller: the identity (PgSession::serverIdentity) of the server the checks ran on. A
    // plain script's psql verifies it reached that server before the script's first statement.
    QString expectedServerIdentity;
    // After a successful restore, count every restored table's rows in the target against the manifest
    // (RestoredTargetCheck); a mismatch fails the job with ExitCode::Integrity. `lifeboatctl restore` sets it; the
    // wizard runs the same check on its report page.
    bool checkRowCounts = false;
    // Refuse (exit 4) a backup whose manifest is unsigned or signed by a key the catalog does not know; a signature
    // that does not verify is refused either way.
    bool requireSigned = false;
    // The safety checks' texts name what the operator does about them: command-line options for `lifeboatctl`,
    // the wizard's fields (typing the name, the "create" choice, the connections box) for the desktop app.
    bool desktopWording = false;
};

} // namespace lifeboat
