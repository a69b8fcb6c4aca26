#pragma once

#include "catalog/Manifest.h"
#include "restore/VerifyReport.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace lifeboat {

// The restore wizard's verification of the database it just restored: the restore's own outcome (items, errors)
// and every restored table's exact row count against the backup's manifest, read from the target itself.
//
// Why not a VerifyJob here: VerifyJob proves a *backup* restores by restoring it a second time into a temporary
// database; after a wizard restore the target already is that restore, so checking the target directly proves
// what the operator cares about (the data they will use is complete) at the cost of one count per table instead
// of a second full restore. History's "Verify" action runs the full VerifyJob. The report is a VerifyReport, so
// it renders and exports (JSON, HTML) like any verification. Blocking: call it on a worker.
class RestoredTargetCheck {
public:
    struct Request {
        QString conninfo; // the target server, no password
        QString password;
        QString database;
        QString source; // "backup #12 (…)" or a path, for the report
        std::optional<Manifest> manifest;
        QStringList tables; // the selective restore's tables; empty: all
        bool schemaOnly = false;
        QJsonObject restoreDetails; // RestoreJob's result details
        bool restoreOk = false;
        QString restoreError;
        // When the run began and ended: the report's duration is the run's plus this check's, not the time the
        // operator took to open the report.
        QDateTime restoreStarted;
        QDateTime restoreFinished;
    };

    static VerifyReport run(const Request &request);
};

} // namespace lifeboat
