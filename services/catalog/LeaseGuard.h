#pragma once

#include "catalog/BackupLease.h"
#include "core/ExitCode.h"

#include <QString>

#include <memory>

namespace lifeboat {

class Catalog;

// Holds a BackupLease for as long as it lives (RAII). acquire() records the lease, then looks at the others: a
// reader (restore, verify, download, files restore) is refused when the backup is being deleted; `delete` is refused
// when anyone else holds a lease on it. Refusals are ExitCode::Refused and name the other operation.
class LeaseGuard {
public:
    // 24 hours: long enough for any restore; a lease of a crashed process on this host ends with its process.
    static constexpr int kTtlSeconds = 24 * 3600;

    LeaseGuard() = default;
    ~LeaseGuard();
    LeaseGuard(LeaseGuard &&other) noexcept;
    LeaseGuard &operator=(LeaseGuard &&other) noexcept;
    LeaseGuard(const LeaseGuard &) = delete;
    LeaseGuard &operator=(const LeaseGuard &) = delete;

    // catalog may be null (a bare file, no catalog): nothing to hold, nothing refused.
    static Error acquire(Catalog *catalog, qint64 backupId, const QString &operation, LeaseGuard *out);
    void release();

private:
    Catalog *m_catalog = nullptr;
    qint64 m_id = 0;
};

} // namespace lifeboat
