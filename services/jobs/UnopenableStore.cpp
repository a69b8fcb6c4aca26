#include "jobs/UnopenableStore.h"

#include "jobs/StoreFactory.h"

namespace lifeboat {

UnopenableStore::UnopenableStore(QString storageName, Error reason)
    : m_name(std::move(storageName))
    , m_reason(std::move(reason)) {}

std::unique_ptr<BackupStore> UnopenableStore::create(const StorageConfig &config, const QString &secret) {
    Error e;
    if (auto store = StoreFactory::create(config, secret, &e))
        return store;
    return std::make_unique<UnopenableStore>(config.name, e);
}

bool UnopenableStore::begin(const QString &, const QString &, const QDateTime &, qint64) {
    return fail(m_reason.code, m_reason.message);
}

bool UnopenableStore::putManifest(const QByteArray &) {
    return fail(m_reason.code, m_reason.message);
}

BackupLocation UnopenableStore::location() const {
    BackupLocation l;
    l.storage = m_name;
    return l;
}

} // namespace lifeboat
