#include "CliSecrets.h"

#include "CliContext.h"

#include "secrets/KeychainCredentialStore.h"
#include "secrets/KeychainProbe.h"

using namespace lifeboat;

CliSecrets::CliSecrets(CliContext &ctx)
    : m_ctx(ctx) {}

CliSecrets::~CliSecrets() = default;

CredentialStore *CliSecrets::credentialStore() {
    if (!m_probed) {
        m_probed = true;
        const KeychainStatus status = KeychainProbe::detect();
        if (status.available())
            m_store = std::make_unique<KeychainCredentialStore>();
        else
            m_message = status.message;
    }
    return m_store.get();
}

QString CliSecrets::backendName() const {
    return m_store ? m_store->backendName() : QStringLiteral("no credential store");
}

bool CliSecrets::store(const QString &key, const QString &secret) {
    CredentialStore *store = credentialStore();
    if (!store) {
        m_message = QStringLiteral("no keychain available (%1): the secret was NOT stored. Give it at each run with "
                                   "--password-stdin or --secret-env VAR (or keep it in ~/.pgpass).")
                        .arg(m_message);
        return false;
    }
    if (!store->write(key, secret)) {
        m_message = store->error().message;
        return false;
    }
    return true;
}

bool CliSecrets::remove(const QString &key) {
    CredentialStore *store = credentialStore();
    return store && store->remove(key);
}

QString CliSecrets::secret(const QString &key, bool fromStdin, const QString &envVar) {
    if (fromStdin)
        return CliContext::readSecretFromStdin();
    if (!envVar.isEmpty()) {
        if (!qEnvironmentVariableIsSet(envVar.toLocal8Bit().constData()))
            m_ctx.err() << "lifeboatctl: warning: environment variable " << envVar << " is not set" << Qt::endl;
        return qEnvironmentVariable(envVar.toLocal8Bit().constData());
    }
    CredentialStore *store = credentialStore();
    if (!store)
        return {}; // libpq's own sources (~/.pgpass, service file) remain
    return store->read(key).value_or(QString());
}

QString CliSecrets::storageSecret(const QString &storage) {
    const auto sc = m_ctx.config().storage(storage);
    if (!sc || !sc->isS3() || sc->accessKeyId.isEmpty())
        return {};
    return secret(CredentialStore::storageSecretKey(storage), false, {});
}
