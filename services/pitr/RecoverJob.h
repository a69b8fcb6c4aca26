#pragma once

#include "catalog/Catalog.h"
#include "catalog/LeaseGuard.h"
#include "catalog/Profile.h"
#include "catalog/StorageConfig.h"
#include "crypto/AgeIdentity.h"
#include "jobs/ArtifactReader.h"
#include "jobs/Job.h"
#include "pitr/RecoverPlan.h"

#include <QProcessEnvironment>

#include <memory>
#include <vector>

namespace lifeboat {

// Point-in-time recovery of a profile's cluster into a new data directory (`lifeboatctl recover`):
//  1. plan (RecoverPlan) from the catalog's base backups and archived WAL — refusals (exit 6) before anything is
//     written: target outside the recoverable window or behind a missing segment, a data directory that is not
//     absent or empty, a port in use, no server binaries of the backup's major version (the package to install);
//  2. the base backup's manifest signature checked as restore checks it (refused before anything is written:
//     invalid, or with requireSigned unsigned/unknown signer); its one copy fetched into private scratch with its
//     SHA-256 checked on the way (RestoreSource), extracted into a private directory beside DIR and checked there with
//     pg_verifybackup against the backup_manifest (WAL included: -X fetch put it into the backup), moved into place
//     only then — a backup that fails the check leaves DIR as it was; a failure after the move says that DIR holds an
//     unrecovered copy;
//  3. recovery settings in postgresql.auto.conf (restore_command, the target, recovery_target_action = promote, the
//     port, archive_mode off so the copy never archives into the source's archive) and recovery.signal;
//  4. the server started with pg_ctl as the current user — as root as `postgres` — its log followed for progress
//     (each segment restored) until it promotes, then the last replayed transaction against the target; stopped
//     cleanly unless `start`.
// restore_command is `lifeboatctl wal fetch PROFILE %f %p` with this home and catalog. As root the server runs as
// `postgres`, which cannot read root's home or secrets: the archived WAL the plan names is fetched beforehand
// through the same `wal fetch` into a spool directory the server reads with cp.
class RecoverJob : public Job {
    Q_OBJECT
public:
    struct Request {
        Profile profile;
        RecoverTarget target;
        QString dataDir;
        int port = 0;
        bool start = false;
        bool dryRun = false;
        std::shared_ptr<Catalog> catalog;
        QList<StorageConfig> storages;
        ArtifactReader::SecretLookup secretFor;
        std::vector<AgeIdentity> identities;
        QStringList identityArgs; // for `wal fetch`: --identity FILE / --identity-name NAME (never key material)
        QString pgToolDir;
        QString ctlPath; // lifeboatctl, for restore_command
        QString home;
        QString catalogUri; // empty: the home's default
        int timeoutSeconds = 3600;
        // Refuse a base backup whose manifest is unsigned or signed by an unknown key (an invalid signature is
        // refused always), as restore --require-signed does.
        bool requireSigned = false;
    };

    explicit RecoverJob(Request request, QObject *parent = nullptr);
    ~RecoverJob() override;

    QString title() const override;

    static bool portInUse(int port);
    // A shell word: 'text' with every ' written as '\''.
    static QString shellQuote(const QString &s);
    // The restore_command that runs `wal fetch` (what the server runs when Lifeboat is not root).
    QString walFetchCommand() const;

protected:
    JobResult execute() override;

private:
    JobResult done(const Error &e, QJsonObject details);
    // `lease` receives the base backup's lease: held until replay ends, so prune neither deletes the base backup nor
    // (WalPruner counts it while it is not DELETED) the WAL replay is reading.
    bool extract(const RecoverPlan &plan, const QString &target, const QString &verifyBin, LeaseGuard *lease,
                 Error *error);
    bool prefetch(const RecoverPlan &plan, const QString &spool, Error *error);
    QStringList asOwner(const QString &program, const QStringList &args) const;
    // env: the child's environment (default: a pg tool's, ChildEnvironment; as root the minimal one).
    bool runTool(const QString &program, const QStringList &args, const QString &what, Error *error,
                 QString *output = nullptr, const QProcessEnvironment *env = nullptr);

    Request m_req;
    bool m_asPostgres = false;
};

} // namespace lifeboat
