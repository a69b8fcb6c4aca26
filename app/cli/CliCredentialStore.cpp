#include "CliCredentialStore.h"

#include "CliSecrets.h"

using namespace lifeboat;

CliCredentialStore::CliCredentialStore(CliSecrets &secrets)
    : m_secrets(secrets) {}

void CliCredentialStore::redirect(const QString &key, bool fromStdin, const QString &envVar) {
    if (fromStdin || !envVar.isEmpty())
        m_redirects.insert(key, {fromStdin, envVar});
}

QString CliCredentialStore::backendName() const {
    return m_secrets.backendName();
}

std::optional<QString> CliCredentialStore::read(const QString &key) {
    clearError();
    const auto cached = m_read.constFind(key);
    const Source source = m_redirects.value(key);
    // CliSecrets warns about a store that failed (not one that simply lacks the key) and registers the value.
    const QString value =
        cached != m_read.constEnd() ? *cached : m_secrets.secret(key, source.fromStdin, source.envVar);
    m_read.insert(key, value);
    // A key asked again answers as the first time did: the same value, or none.
    if (value.isEmpty()) {
        setError(ExitCode::Usage, QStringLiteral("no secret \"%1\"").arg(key), Failure::NotFound);
        return std::nullopt;
    }
    return value;
}

bool CliCredentialStore::write(const QString &key, const QString &secret) {
    clearError();
    return m_secrets.store(key, secret);
}

bool CliCredentialStore::remove(const QString &key) {
    clearError();
    return m_secrets.remove(key);
}
