#pragma once

#include "jobs/Job.h"
#include "jobs/StartupRecovery.h"

#include <memory>

namespace lifeboat {

// StartupRecovery as a job, for the desktop app: it runs on a worker (S3 calls and keychain reads block), every
// item cleaned is a line of the job's log on the Jobs page, and its end reloads the views like any job's.
class StartupRecoveryJob : public Job {
    Q_OBJECT
public:
    StartupRecoveryJob(std::shared_ptr<Catalog> catalog, QList<StorageConfig> storages,
                       StartupRecovery::SecretLookup secretFor);

    QString title() const override { return tr("Clean up after an interrupted run"); }

protected:
    JobResult execute() override;

private:
    std::shared_ptr<Catalog> m_catalog;
    QList<StorageConfig> m_storages;
    StartupRecovery::SecretLookup m_secretFor;
};

} // namespace lifeboat
