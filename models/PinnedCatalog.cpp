#include "models/PinnedCatalog.h"

#include "models/Async.h"

#include <QFuture>

namespace lifeboat {

namespace {
template <typename F> auto onCatalogThread(F f) {
    return QtConcurrent::run(catalogPool(), std::move(f)).result();
}
} // namespace

PinnedCatalog::PinnedCatalog(std::shared_ptr<Catalog> inner)
    : m_inner(std::move(inner)) {}

bool PinnedCatalog::open(QString *error) {
    return onCatalogThread([this, error] { return m_inner->open(error); });
}

int PinnedCatalog::schemaVersion() {
    return onCatalogThread([this] { return m_inner->schemaVersion(); });
}

bool PinnedCatalog::insert(BackupRecord &record, QString *error) {
    return onCatalogThread([this, &record, error] { return m_inner->insert(record, error); });
}

bool PinnedCatalog::update(const BackupRecord &record, QString *error) {
    return onCatalogThread([this, &record, error] { return m_inner->update(record, error); });
}

std::optional<BackupRecord> PinnedCatalog::get(qint64 id) {
    return onCatalogThread([this, id] { return m_inner->get(id); });
}

QList<BackupRecord> PinnedCatalog::list(const CatalogFilter &filter) {
    return onCatalogThread([this, &filter] { return m_inner->list(filter); });
}

int PinnedCatalog::count(const CatalogFilter &filter) {
    return onCatalogThread([this, &filter] { return m_inner->count(filter); });
}

int PinnedCatalog::recoverInterrupted(const QString &host) {
    return onCatalogThread([this, &host] { return m_inner->recoverInterrupted(host); });
}

bool PinnedCatalog::hasArtifact(const QString &filename, const QString &sha256) {
    return onCatalogThread([this, &filename, &sha256] { return m_inner->hasArtifact(filename, sha256); });
}

bool PinnedCatalog::hasFilename(const QString &filename) {
    return onCatalogThread([this, &filename] { return m_inner->hasFilename(filename); });
}

bool PinnedCatalog::setScheduledFor(qint64 id, const QDateTime &fireTime, QString *error) {
    return onCatalogThread([this, id, &fireTime, error] { return m_inner->setScheduledFor(id, fireTime, error); });
}

qint64 PinnedCatalog::acquireLease(qint64 backupId, const QString &operation, int ttlSeconds, QString *error) {
    return onCatalogThread([this, backupId, &operation, ttlSeconds, error] {
        return m_inner->acquireLease(backupId, operation, ttlSeconds, error);
    });
}

void PinnedCatalog::releaseLease(qint64 leaseId) {
    onCatalogThread([this, leaseId] {
        m_inner->releaseLease(leaseId);
        return true;
    });
}

bool PinnedCatalog::renewLease(qint64 leaseId, int ttlSeconds) {
    return onCatalogThread([this, leaseId, ttlSeconds] { return m_inner->renewLease(leaseId, ttlSeconds); });
}

QList<BackupLease> PinnedCatalog::otherLeases(qint64 backupId, qint64 exceptId) {
    return onCatalogThread([this, backupId, exceptId] { return m_inner->otherLeases(backupId, exceptId); });
}

bool PinnedCatalog::addSigningKey(const SigningKeyRecord &key, QString *error) {
    return onCatalogThread([this, &key, error] { return m_inner->addSigningKey(key, error); });
}

QList<SigningKeyRecord> PinnedCatalog::signingKeys() {
    return onCatalogThread([this] { return m_inner->signingKeys(); });
}

bool PinnedCatalog::saveBaseBackup(const BaseBackupInfo &info, QString *error) {
    return onCatalogThread([this, &info, error] { return m_inner->saveBaseBackup(info, error); });
}

std::optional<BaseBackupInfo> PinnedCatalog::baseBackup(qint64 backupId) {
    return onCatalogThread([this, backupId] { return m_inner->baseBackup(backupId); });
}

bool PinnedCatalog::putWalFile(const WalFileRecord &file, QString *error) {
    return onCatalogThread([this, &file, error] { return m_inner->putWalFile(file, error); });
}

QList<WalFileRecord> PinnedCatalog::walFiles(const WalFileFilter &filter) {
    return onCatalogThread([this, &filter] { return m_inner->walFiles(filter); });
}

bool PinnedCatalog::removeWalFile(const WalFileRecord &file, QString *error) {
    return onCatalogThread([this, &file, error] { return m_inner->removeWalFile(file, error); });
}

} // namespace lifeboat
