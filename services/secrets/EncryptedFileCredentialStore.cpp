#include "secrets/EncryptedFileCredentialStore.h"

#include "crypto/AgeDecryptStage.h"
#include "crypto/AgeEncryptStage.h"
#include "crypto/AgeIdentity.h"
#include "pipeline/MemorySink.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <openssl/crypto.h>

namespace lifeboat {

EncryptedFileCredentialStore::EncryptedFileCredentialStore(QString path, QByteArray passphrase, int workFactor)
    : m_path(std::move(path))
    , m_passphrase(std::move(passphrase))
    , m_workFactor(workFactor) {}

EncryptedFileCredentialStore::~EncryptedFileCredentialStore() {
    OPENSSL_cleanse(m_passphrase.data(), static_cast<size_t>(m_passphrase.size()));
    for (auto it = m_secrets.begin(); it != m_secrets.end(); ++it)
        it.value().fill(QLatin1Char('\0'));
}

QString EncryptedFileCredentialStore::backendName() const {
    return QStringLiteral("encrypted file %1").arg(m_path);
}

bool EncryptedFileCredentialStore::load() {
    if (m_loaded)
        return true;
    if (m_passphrase.isEmpty()) {
        setError(ExitCode::Usage, QStringLiteral("the secrets file needs its passphrase"), Failure::Declined);
        return false;
    }
    QFile f(m_path);
    if (!f.exists()) {
        m_loaded = true; // a new, empty store
        return true;
    }
    if (!f.open(QIODevice::ReadOnly)) {
        setError(ExitCode::Usage, QStringLiteral("cannot read %1: %2").arg(m_path, f.errorString()));
        return false;
    }
    MemorySink plain;
    std::vector<AgeIdentity> ids{AgeIdentity::passphrase(m_passphrase)};
    AgeDecryptStage decrypt(std::move(ids), &plain);
    if (!decrypt.write(f.readAll()) || !decrypt.finish()) {
        const bool wrong = decrypt.error().message.startsWith(QLatin1String("no identity matched"));
        setError(ExitCode::Integrity,
                 wrong ? QStringLiteral("wrong passphrase for the secrets file %1").arg(m_path)
                       : QStringLiteral("the secrets file %1 is damaged: %2").arg(m_path, decrypt.error().message),
                 wrong ? Failure::Locked : Failure::Failed);
        return false;
    }
    const QJsonObject o = QJsonDocument::fromJson(plain.data()).object();
    for (auto it = o.begin(); it != o.end(); ++it)
        m_secrets.insert(it.key(), it.value().toString());
    m_loaded = true;
    return true;
}

bool EncryptedFileCredentialStore::save() {
    QJsonObject o;
    for (auto it = m_secrets.cbegin(); it != m_secrets.cend(); ++it)
        o.insert(it.key(), it.value());
    QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Compact);
    MemorySink encrypted;
    AgeEncryptStage encrypt({AgeRecipient::passphrase(m_passphrase, m_workFactor)}, &encrypted);
    const bool ok = encrypt.write(json) && encrypt.finish();
    OPENSSL_cleanse(json.data(), static_cast<size_t>(json.size()));
    if (!ok) {
        setError(ExitCode::Usage, QStringLiteral("cannot encrypt %1: %2").arg(m_path, encrypt.error().message));
        return false;
    }
    // QSaveFile writes beside the file and renames over it in one step: a crash leaves the old file or the new
    // one, never neither.
    QSaveFile f(m_path);
    if (!f.open(QIODevice::WriteOnly)) {
        setError(ExitCode::Usage, QStringLiteral("cannot write %1: %2").arg(m_path, f.errorString()));
        return false;
    }
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(encrypted.data());
    if (!f.commit()) {
        setError(ExitCode::Usage, QStringLiteral("cannot write %1: %2").arg(m_path, f.errorString()));
        return false;
    }
    return true;
}

std::optional<QString> EncryptedFileCredentialStore::read(const QString &key) {
    clearError();
    if (!load())
        return std::nullopt;
    const auto it = m_secrets.constFind(key);
    if (it == m_secrets.cend()) {
        setError(ExitCode::Usage, QStringLiteral("no secret \"%1\" in %2").arg(key, m_path), Failure::NotFound);
        return std::nullopt;
    }
    return it.value();
}

bool EncryptedFileCredentialStore::write(const QString &key, const QString &secret) {
    clearError();
    if (!load())
        return false;
    m_secrets.insert(key, secret);
    return save();
}

bool EncryptedFileCredentialStore::remove(const QString &key) {
    clearError();
    if (!load())
        return false;
    if (m_secrets.remove(key) == 0)
        return true;
    return save();
}

} // namespace lifeboat
