#pragma once

#include "catalog/StorageConfig.h"
#include "jobs/BackupStore.h"

#include <memory>

namespace lifeboat {

// A configured storage that could not be made into a store (no S3 credentials, an invalid endpoint): it refuses
// at begin() with the reason. A backup given one fails the way it fails on a store that would not open — recorded
// FAILED with that error (FailedAttempt) — instead of being refused before it started and leaving no trace.
class UnopenableStore : public BackupStore {
public:
    UnopenableStore(QString storageName, Error reason);

    // StoreFactory::create, or an UnopenableStore carrying its error: never null.
    static std::unique_ptr<BackupStore> create(const StorageConfig &config, const QString &secret);

    QString storageName() const override { return m_name; }
    bool begin(const QString &artifact, const QString &type, const QDateTime &startedUtc, qint64 sizeHint) override;
    ByteSink *sink() override { return nullptr; }
    bool putManifest(const QByteArray &json) override;
    BackupLocation location() const override;
    void discard() override {}

private:
    QString m_name;
    Error m_reason;
};

} // namespace lifeboat
