#pragma once

#include <QHash>

#include "catalog/Catalog.h"
#include "catalog/StorageConfig.h"
#include "crypto/AgeIdentity.h"
#include "jobs/Job.h"
#include "pg/Conninfo.h"
#include "restore/RestoreOptions.h"
#include "restore/SafetyCheck.h"

#include <functional>
#include <memory>
#include <vector>

namespace lifeboat {

class PgSession;

class RestoreEngine;
class PgSession;

// Restores a backup into a database: every safety check first (SafetyCheck list, nothing touched until all
// pass), then the production safety backup, database creation, ending connections, pg_restore/psql with
// progress as TOC items and bytes, and the profile's post-restore command. A dry run stops after the checks
// and reports the plan. Result details (JSON): checks, plan, restore {itemsDone, itemsTotal, bytes, errors,
// ignoredErrors, durationMs}, safetyBackupId, postRestore.
class RestoreJob : public Job {
    Q_OBJECT
public:
    // Builds the backup of the target taken before restoring into a production database; returns null with
    // *why set when it cannot be made (e.g. the profile has no storage).
    using SafetyBackupFactory = std::function<std::unique_ptr<Job>(const QString &database, Error *why)>;

    struct Request {
        QString source; // catalog id or file path
        RestoreOptions options;
        QString password; // target server password; empty: libpq's own sources
        std::shared_ptr<Catalog> catalog;
        QList<StorageConfig> storages;          // where catalogued copies live
        QHash<QString, QString> storageSecrets; // S3 secret keys by storage name (resolved by the caller)
        std::vector<AgeIdentity> identities;
        QString pgToolDir;
        QString workDir;
        SafetyBackupFactory safetyBackup;
        // Every production profile (other than the target's own): a target that reaches the same server as one of
        // them — same system identifier and port, however the host is spelled — gets production treatment, with
        // that profile's safety backup.
        struct ProductionServer {
            QString profile;
            QString conninfo; // no password
            QString password;
            std::function<QString()> passwordLookup; // when password is empty: read on the job's thread
            SafetyBackupFactory safetyBackup;
            // This profile's safety backup (its storages, recipients) pointed at another server: used when the
            // target cannot be told apart from this profile's server, so what the restore overwrites is backed up.
            // Unset: safetyBackup.
            std::function<SafetyBackupFactory(const QString &conninfo, const QString &password)> safetyBackupOf;
        };
        QList<ProductionServer> productionServers;
    };

    explicit RestoreJob(Request request, QObject *parent = nullptr);
    ~RestoreJob() override;

    QString title() const override;
    // The checks as they were decided (valid after run()).
    const QList<SafetyCheck> &checks() const { return m_checks; }

    // "refused: <title> — <detail>" for the first refused check, and its exit code; empty when none refused.
    static QString refusalMessage(const QList<SafetyCheck> &checks, ExitCode *code);

protected:
    JobResult execute() override;

private:
    JobResult refuse(const QJsonObject &details);
    QJsonObject planJson(RestoreEngine &engine) const;
    bool runPostRestore(QJsonObject *details, Error *error); // PostRestoreCommand, when the profile has one
    // Drops the database this run created after a failed or cancelled restore; returns the note for the error.
    QString dropCreatedDatabase(PgSession &session, const QString &db, QJsonObject *details);

    Request m_req;
    QList<SafetyCheck> m_checks;
    Conninfo m_target; // the target as the checks' session reached it, every parameter explicit
};

} // namespace lifeboat
