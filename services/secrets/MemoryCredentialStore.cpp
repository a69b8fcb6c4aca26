#include "secrets/MemoryCredentialStore.h"

namespace lifeboat {

MemoryCredentialStore MemoryCredentialStore::readFrom(CredentialStore *source, const QStringList &keys) {
    MemoryCredentialStore out;
    if (!source)
        return out;
    for (const QString &key : keys)
        if (const auto secret = source->read(key))
            out.m_secrets.insert(key, *secret);
    return out;
}

std::optional<QString> MemoryCredentialStore::read(const QString &key) {
    clearError();
    const auto it = m_secrets.constFind(key);
    if (it == m_secrets.constEnd()) {
        setError(ExitCode::Usage, QStringLiteral("no secret \"%1\" was read for this operation").arg(key),
                 Failure::NotFound);
        return std::nullopt;
    }
    return *it;
}

bool MemoryCredentialStore::write(const QString &key, const QString &secret) {
    clearError();
    m_secrets.insert(key, secret);
    return true;
}

bool MemoryCredentialStore::remove(const QString &key) {
    clearError();
    m_secrets.remove(key);
    return true;
}

} // namespace lifeboat
