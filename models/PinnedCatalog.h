#pragma once

#include "catalog/Catalog.h"

#include <memory>

namespace lifeboat {

// A Catalog that runs every call on the one long-lived catalog thread (catalogPool()) and waits for the answer.
// For jobs: SqlCatalog names its per-thread connections after the QThread's address, and each job runs on a new
// thread, so a later job can inherit a dead job's address and find a connection that is not its own ("Driver not
// loaded"). Routing the job's few catalog calls to one thread that never dies sidesteps that. Blocks the caller:
// for worker threads only — never the GUI thread, and never the catalog thread itself (it would wait for itself).
class PinnedCatalog : public Catalog {
public:
    explicit PinnedCatalog(std::shared_ptr<Catalog> inner);

    bool open(QString *error) override;
    int schemaVersion() override;
    bool insert(BackupRecord &record, QString *error) override;
    bool update(const BackupRecord &record, QString *error) override;
    std::optional<BackupRecord> get(qint64 id) override;
    QList<BackupRecord> list(const CatalogFilter &filter) override;
    int count(const CatalogFilter &filter) override;
    int recoverInterrupted(const QString &host) override;
    bool hasArtifact(const QString &filename, const QString &sha256) override;
    bool hasFilename(const QString &filename) override;

private:
    std::shared_ptr<Catalog> m_inner;
};

} // namespace lifeboat
