#include "jobs/StartupRecoveryJob.h"

#include <QJsonArray>
#include <QJsonObject>

namespace lifeboat {

StartupRecoveryJob::StartupRecoveryJob(std::shared_ptr<Catalog> catalog, QList<StorageConfig> storages,
                                       StartupRecovery::SecretLookup secretFor)
    : m_catalog(std::move(catalog))
    , m_storages(std::move(storages))
    , m_secretFor(std::move(secretFor)) {}

JobResult StartupRecoveryJob::execute() {
    JobProgress p;
    p.phase = QStringLiteral("cleaning up");
    reportProgress(p, true);
    StartupRecovery recovery(*m_catalog, m_storages, m_secretFor);
    const StartupRecovery::Report report = recovery.run();
    for (const QString &line : report.lines)
        log(line);
    if (!report.isEmpty())
        log(report.summary());
    const QJsonObject details{{QStringLiteral("records"), report.records},
                              {QStringLiteral("partials"), report.partials},
                              {QStringLiteral("uploads"), report.uploads},
                              {QStringLiteral("scratch"), report.scratch},
                              {QStringLiteral("lines"), QJsonArray::fromStringList(report.lines)}};
    // Whatever could not be cleaned is said in the log and in the records' errors; the catalog is honest either way.
    if (report.problems)
        return {
            {ExitCode::Transfer, QStringLiteral("%1 item(s) could not be cleaned — see the log").arg(report.problems)},
            0,
            details};
    return {{}, 0, details};
}

} // namespace lifeboat
