#pragma once

#include "core/CredentialStore.h"

#include <QHash>
#include <QStringList>

namespace lifeboat {

// Secrets already read, held in memory for one operation: the desktop app reads the keys a use case needs from the
// keychain on a worker (it may block on D-Bus or an unlock prompt), then hands the use case this store on the GUI
// thread, so both front ends give a use case its secrets through the one CredentialStore interface. Never persists.
class MemoryCredentialStore : public CredentialStore {
public:
    MemoryCredentialStore() = default;
    // Reads every key in `keys` from `source` now (a key it does not hold stays absent); `source` may be null.
    static MemoryCredentialStore readFrom(CredentialStore *source, const QStringList &keys);

    QString backendName() const override { return QStringLiteral("memory"); }
    bool isPersistent() const override { return false; }
    std::optional<QString> read(const QString &key) override;
    bool write(const QString &key, const QString &secret) override;
    bool remove(const QString &key) override;

private:
    QHash<QString, QString> m_secrets;
};

} // namespace lifeboat
