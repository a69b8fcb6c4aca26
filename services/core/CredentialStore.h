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
    // Why the last call failed, so a caller can tell "nothing stored under that key" from "no keychain here"
    // without parsing messages.
    enum class Failure {
        None,
        NotFound,    // the store works but holds no such secret (or the environment variable is unset)
        Unavailable, // no backend answers: no D-Bus session, no Secret Service, timed out
        Locked,      // the keychain is there but locked or refused access
        Declined,    // the user gave no answer (end of input, empty line)
        ReadOnly,    // this store cannot keep secrets (environment variables)
        Failed,      // anything else; the message has the details
    };

    virtual ~CredentialStore() = default;

    virtual QString backendName() const = 0;
    // nullopt when there is no such secret (or the user declined to give one); error() then says which.
    virtual std::optional<QString> read(const QString &key) = 0;
    virtual bool write(const QString &key, const QString &secret) = 0;
    virtual bool remove(const QString &key) = 0;

    const Error &error() const { return m_error; }
    Failure failure() const { return m_failure; }
    // false when a write does not outlive this process (ask-every-time, environment): callers should tell the user
    // that the secret will be needed again.
    virtual bool isPersistent() const { return true; }

    static QString profilePasswordKey(const QString &profile) {
        return QStringLiteral("profile/%1/password").arg(profile);
    }
    static QString storageSecretKey(const QString &storage) { return QStringLiteral("storage/%1/secret").arg(storage); }
    static QString identityKey(const QString &name) { return QStringLiteral("identity/%1").arg(name); }

protected:
    void setError(ExitCode code, const QString &message, Failure failure = Failure::Failed) {
        m_error = {code, message};
        m_failure = failure;
    }
    void clearError() {
        m_error = {};
        m_failure = Failure::None;
    }

private:
    Error m_error;
    Failure m_failure = Failure::None;
};

} // namespace lifeboat
