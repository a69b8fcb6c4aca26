#include "catalog/LeaseGuard.h"

#include "catalog/Catalog.h"

#include <QStringList>

namespace lifeboat {

LeaseGuard::~LeaseGuard() {
    release();
}

LeaseGuard::LeaseGuard(LeaseGuard &&other) noexcept
    : m_catalog(other.m_catalog)
    , m_id(other.m_id)
    , m_ttl(other.m_ttl)
    , m_renewEvery(other.m_renewEvery)
    , m_sinceRenewal(other.m_sinceRenewal) {
    other.m_id = 0;
}

LeaseGuard &LeaseGuard::operator=(LeaseGuard &&other) noexcept {
    if (this != &other) {
        release();
        m_catalog = other.m_catalog;
        m_id = other.m_id;
        m_ttl = other.m_ttl;
        m_renewEvery = other.m_renewEvery;
        m_sinceRenewal = other.m_sinceRenewal;
        other.m_id = 0;
    }
    return *this;
}

void LeaseGuard::release() {
    if (m_catalog && m_id > 0)
        m_catalog->releaseLease(m_id);
    m_id = 0;
}

void LeaseGuard::renewIfDue() {
    if (!m_catalog || m_id <= 0 || (m_sinceRenewal.isValid() && m_sinceRenewal.elapsed() < m_renewEvery * 1000LL))
        return;
    m_catalog->renewLease(m_id, m_ttl);
    m_sinceRenewal.start();
}

Error LeaseGuard::acquire(Catalog *catalog, qint64 backupId, const QString &operation, LeaseGuard *out) {
    return acquire(catalog, backupId, operation, out, kTtlSeconds, kRenewEverySeconds);
}

Error LeaseGuard::acquire(Catalog *catalog, qint64 backupId, const QString &operation, LeaseGuard *out, int ttlSeconds,
                          int renewEverySeconds) {
    out->release();
    if (!catalog || backupId <= 0)
        return {};
    QString err;
    const qint64 id = catalog->acquireLease(backupId, operation, ttlSeconds, &err);
    if (id == 0)
        return {ExitCode::Usage, err};
    out->m_catalog = catalog;
    out->m_id = id;
    out->m_ttl = ttlSeconds;
    out->m_renewEvery = renewEverySeconds;
    out->m_sinceRenewal.start();
    // Recorded first, checked second: of two conflicting operations started at the same moment, at least one sees
    // the other's lease and stops.
    const bool deleting = operation == QLatin1String("delete");
    QStringList conflicts;
    for (const BackupLease &l : catalog->otherLeases(backupId, id)) {
        if (deleting || l.operation == QLatin1String("delete"))
            conflicts << l.describe();
    }
    if (conflicts.isEmpty())
        return {};
    out->release();
    if (deleting)
        return {ExitCode::Refused, QStringLiteral("backup #%1 is in use: %2 — it is not deleted; try again when that "
                                                  "has finished")
                                       .arg(backupId)
                                       .arg(conflicts.join(QStringLiteral("; ")))};
    return {ExitCode::Refused, QStringLiteral("backup #%1 is being deleted (%2); nothing was done")
                                   .arg(backupId)
                                   .arg(conflicts.join(QStringLiteral("; ")))};
}

} // namespace lifeboat
