#pragma once

#include "core/CredentialStore.h"
#include "secrets/KeychainProbe.h"

#include <optional>

namespace lifeboat {

// Secrets in the operating system's keychain through QtKeychain (Secret Service on Linux: gnome-keyring, KWallet's
// or KeePassXC's Secret Service), under the service name "Lifeboat" and the namespaced key (e.g.
// "profile/prod/password"). QtKeychain's insecure plaintext fallback is never enabled.
//
// Threading: every call is synchronous and BLOCKS the calling thread until the keychain answers or the timeout
// passes — meant for worker threads and the CLI main thread. It must never be called on the GUI thread (the call
// is refused with an error there). QtKeychain 0.13 jobs are asynchronous and its job queue is not thread-safe, so
// all jobs of the process run on one private keychain thread with its own event loop; callers wait for the result
// instead of spinning a nested event loop. A QCoreApplication must exist.
//
// Failures are classified (CredentialStore::failure()): NotFound when the keychain works but has no such entry,
// Unavailable/Locked when there is no usable keychain (the KeychainProbe message says why), Failed otherwise.
// remove() of an entry that does not exist succeeds (it is gone either way).
class KeychainCredentialStore : public CredentialStore {
public:
    static constexpr int kDefaultTimeoutMs = 30000;

    explicit KeychainCredentialStore(const QString &service = QStringLiteral("Lifeboat"),
                                     int timeoutMs = kDefaultTimeoutMs);

    QString backendName() const override;
    std::optional<QString> read(const QString &key) override;
    bool write(const QString &key, const QString &secret) override;
    bool remove(const QString &key) override;

    QString service() const { return m_service; }

private:
    enum class Op { Read, Write, Remove };
    struct Outcome {
        bool ok = false;
        QString text;
    };

    bool usable();
    Outcome run(Op op, const QString &key, const QString &secret);

    QString m_service;
    int m_timeoutMs;
    bool m_probedOk = false;
};

} // namespace lifeboat
