#pragma once

#include "core/ExitCode.h"

#include <QString>

#include <optional>

namespace lifeboat {

// Where secrets live: profile passwords, S3 secret keys, age identities, SMTP passwords. Keys are namespaced
// ("profile/NAME/password", "storage/NAME/secret", "identity/NAME", "smtp/NAME"). Implementations never fall back
// to plaintext on disk silently.
class CredentialStore {
public:
    virtual ~CredentialStore() = default;

    virtual QString backendName() const = 0;
    // nullopt when there is no such secret (or the user declined to give one); error() then says which.
    virtual std::optional<QString> read(const QString &key) = 0;
    virtual bool write(const QString &key, const QString &secret) = 0;
    virtual bool remove(const QString &key) = 0;

    const Error &error() const { return m_error; }

    static QString profilePasswordKey(const QString &profile) { return QStringLiteral("profile/%1/password").arg(profile); }
    static QString storageSecretKey(const QString &storage) { return QStringLiteral("storage/%1/secret").arg(storage); }

protected:
    void setError(ExitCode code, const QString &message) { m_error = {code, message}; }
    void clearError() { m_error = {}; }

private:
    Error m_error;
};

} // namespace lifeboat
