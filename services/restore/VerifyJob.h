#pragma once

#include <QHash>

#include "catalog/Catalog.h"
#include "catalog/StorageConfig.h"
#include "crypto/AgeIdentity.h"
#include "jobs/Job.h"
#include "restore/VerifyReport.h"

#include <memory>
#include <vector>

namespace lifeboat {

class PgSession;
class RestorePlan;

// Proves a backup restores: restores it into a temporary database lifeboat_verify_<timestamp> on a server, then
// checks every table's exact row count against the manifest, foreign keys for orphans (full below
// kFkSampleThreshold rows, a Bernoulli sample of about that many rows above it — the report says which), that
// every row of every table reads back, and that object counts equal the archive's TOC. The temporary database is
// always dropped; the outcome goes into the catalog (verifiedAt, verifyOutcome) and the report. Any failed check
// is ExitCode::Integrity. Result details: the report's JSON.
class VerifyJob : public Job {
    Q_OBJECT
public:
    static constexpr qint64 kFkSampleThreshold = 100000;

    struct Request {
        QString source;         // catalog id or file path
        QString serverConninfo; // where the temporary database is created (no password)
        QString password;
        std::shared_ptr<Catalog> catalog;
        QList<StorageConfig> storages;
        QHash<QString, QString> storageSecrets; // S3 secret keys by storage name (resolved by the caller)
        std::vector<AgeIdentity> identities;
        QString pgToolDir;
        QString workDir;
        bool sandbox = false;       // verify on a throwaway local cluster (SandboxCluster) instead of serverConninfo
        bool requireSigned = false; // refuse unsigned manifests and unknown signers (RestoreOptions::requireSigned)
    };

    explicit VerifyJob(Request request, QObject *parent = nullptr);
    ~VerifyJob() override;

    QString title() const override;
    const VerifyReport &report() const { return m_report; }

protected:
    JobResult execute() override;

private:
    JobResult finish(const Error &error);
    VerifyReport::Check checkRowCounts(PgSession &db, const class RestoreSource &source);
    VerifyReport::Check checkForeignKeys(PgSession &db);
    VerifyReport::Check checkReadable(PgSession &db);
    VerifyReport::Check checkObjectCounts(PgSession &db, const RestorePlan &plan);

    Request m_req;
    VerifyReport m_report;
    qint64 m_recordId = 0;
};

} // namespace lifeboat
