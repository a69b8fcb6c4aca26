#pragma once

#include "core/CredentialStore.h"

#include <QHash>
#include <QString>

class CliSecrets;

// lifeboatctl's secrets as the one CredentialStore a use case reads: a key the command line points elsewhere
// (--password-stdin, --secret-env VAR) is answered from there, once; every other key from CliSecrets (the
// credential store in effect: keychain, encrypted file or a terminal prompt). Each value read is registered with
// ChildEnvironment so it never reaches a child's argv or a log.
class CliCredentialStore : public lifeboat::CredentialStore {
public:
    explicit CliCredentialStore(CliSecrets &secrets);

    // `key` is answered from stdin (fromStdin) or the environment variable `envVar` instead of the store; neither
    // set: the store.
    void redirect(const QString &key, bool fromStdin, const QString &envVar);

    QString backendName() const override;
    bool isPersistent() const override { return false; }
    std::optional<QString> read(const QString &key) override;
    bool write(const QString &key, const QString &secret) override;
    bool remove(const QString &key) override;

private:
    struct Source {
        bool fromStdin = false;
        QString envVar;
    };
    CliSecrets &m_secrets;
    QHash<QString, Source> m_redirects;
    QHash<QString, QString> m_read; // stdin is read once, whatever asks again
};
