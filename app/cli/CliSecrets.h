#pragma once

#include "catalog/StorageConfig.h"
#include "core/CredentialStore.h"

#include <QHash>
#include <QList>

#include <QString>

#include <memory>

class CliContext;

// Where lifeboatctl finds secrets, in order: stdin (--…-stdin), an environment variable the user names
// (--secret-env VAR, for cron), the credential store (OS keychain), and finally libpq's own sources. Nothing is
// ever written to disk in plaintext: without a keychain, a secret given to `profile add` is not kept.
class CliSecrets {
public:
    explicit CliSecrets(CliContext &ctx);
    ~CliSecrets();

    bool store(const QString &key, const QString &secret);
    bool remove(const QString &key);
    QString secret(const QString &key, bool fromStdin, const QString &envVar);
    QString profilePassword(const QString &profile, bool fromStdin, const QString &envVar) {
        return secret(lifeboat::CredentialStore::profilePasswordKey(profile), fromStdin, envVar);
    }
    // The S3 secret key a storage keeps in the credential store; empty when it has none (the AWS chain applies).
    QString storageSecret(const QString &storage);
    // The same for every S3 storage in the list, keyed by name: for jobs, which must not ask from their thread.
    QHash<QString, QString> storageSecrets(const QList<lifeboat::StorageConfig> &storages);
    QString backendName() const;
    QString lastMessage() const { return m_message; }
    // The store in effect, or why there is none: for `secrets status`.
    QString describe();
    // The store in effect when it keeps secrets beyond this run (keychain, encrypted file), else null and
    // lastMessage() says why: for the manifest signing key, which must never be asked for on a terminal.
    lifeboat::CredentialStore *persistentStore();

private:
    lifeboat::CredentialStore *credentialStore();
    QString lookup(const QString &key, bool fromStdin, const QString &envVar);

    CliContext &m_ctx;
    std::unique_ptr<lifeboat::CredentialStore> m_store;
    bool m_probed = false;
    QString m_message;
};
