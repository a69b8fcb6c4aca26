#pragma once

#include "core/CredentialStore.h"

#include <QHash>
#include <QString>

namespace lifeboat {

// The explicit fallback for machines without a keychain that must still keep secrets (a server running scheduled
// backups): one file, LIFEBOAT_HOME/secrets.age, encrypted with an age scrypt passphrase — readable with stock
// `age -d` by whoever knows the passphrase, useless to anyone else. The passphrase comes from the caller (prompt,
// stdin or an environment variable the user names); it is never stored. Every write re-encrypts the whole map
// through NAME.partial → rename, so a crash never leaves a half-written secrets file.
class EncryptedFileCredentialStore : public CredentialStore {
public:
    EncryptedFileCredentialStore(QString path, QByteArray passphrase, int workFactor = 18);
    ~EncryptedFileCredentialStore() override;

    QString backendName() const override;
    std::optional<QString> read(const QString &key) override;
    bool write(const QString &key, const QString &secret) override;
    bool remove(const QString &key) override;

    QString path() const { return m_path; }

private:
    bool load();
    bool save();

    QString m_path;
    QByteArray m_passphrase;
    int m_workFactor;
    bool m_loaded = false;
    QHash<QString, QString> m_secrets;
};

} // namespace lifeboat
