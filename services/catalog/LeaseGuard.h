#pragma once

#include "catalog/BackupLease.h"
#include "core/ExitCode.h"

#include <QElapsedTimer>
#include <QString>

#include <memory>

namespace lifeboat {

class Catalog;

// Holds a BackupLease for as long as it lives (RAII). acquire() records the lease, then looks at the others: a
// reader (restore, verify, download, files restore) is refused when the backup is being deleted; `delete` is refused
// when anyone else holds a lease on it. Refusals are ExitCode::Refused and name the other operation.
class LeaseGuard {
public:
    // 24 hours, renewed while the operation makes progress (renewIfDue), so a restore or verify running for longer
    // keeps it; a lease of a crashed process on this host ends with its process, on another host with its expiry.
    static constexpr int kTtlSeconds = 24 * 3600;
    static constexpr int kRenewEverySeconds = 60;

    LeaseGuard() = default;
    ~LeaseGuard();
    LeaseGuard(LeaseGuard &&other) noexcept;
    LeaseGuard &operator=(LeaseGuard &&other) noexcept;
    LeaseGuard(const LeaseGuard &) = delete;
    LeaseGuard &operator=(const LeaseGuard &) = delete;

    // catalog may be null (a bare file, no catalog): nothing to hold, nothing refused.
    static Error acquire(Catalog *catalog, qint64 backupId, const QString &operation, LeaseGuard *out);
    // The same with another expiry and renewal interval (tests).
    static Error acquire(Catalog *catalog, qint64 backupId, const QString &operation, LeaseGuard *out, int ttlSeconds,
                         int renewEverySeconds);
    // Called from the holder's progress path (its own thread, which owns its catalog connection): moves the expiry
    // forward when the last renewal is at least renewEverySeconds old. Cheap otherwise.
    void renewIfDue();
    void release();

private:
    Catalog *m_catalog = nullptr;
    qint64 m_id = 0;
    int m_ttl = kTtlSeconds;
    int m_renewEvery = kRenewEverySeconds;
    QElapsedTimer m_sinceRenewal;
};

} // namespace lifeboat
