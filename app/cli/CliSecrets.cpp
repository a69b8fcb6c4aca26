#include "CliSecrets.h"

#include "CliContext.h"

#include "catalog/AuditTrail.h"
#include "core/ChildEnvironment.h"

#include "secrets/EncryptedFileCredentialStore.h"
#include "secrets/KeychainCredentialStore.h"
#include "secrets/KeychainProbe.h"
#include "secrets/PromptCredentialStore.h"

#include <unistd.h>

using namespace lifeboat;

CliSecrets::CliSecrets(CliContext &ctx)
    : m_ctx(ctx) {}

CliSecrets::~CliSecrets() = default;

CredentialStore *CliSecrets::credentialStore() {
    if (m_probed)
        return m_store.get();
    m_probed = true;
    // The backend is an explicit choice (`secrets use`); "auto" means the keychain when one answers, otherwise
    // asking on the terminal. Never silent plaintext.
    const QString backend = m_ctx.config().option(QStringLiteral("secretsBackend"), QStringLiteral("auto"));
    if (backend == QLatin1String("file")) {
        const QString var = m_ctx.config().option(QStringLiteral("secretsPassphraseEnv"),
                                                  QStringLiteral("LIFEBOAT_SECRETS_PASSPHRASE"));
        QByteArray pass = qgetenv(var.toLocal8Bit().constData());
        if (pass.isEmpty() && ::isatty(STDIN_FILENO)) {
            PromptCredentialStore prompt;
            pass = prompt.read(QStringLiteral("passphrase of the Lifeboat secrets file")).value_or(QString()).toUtf8();
        }
        if (pass.isEmpty()) {
            m_message = QStringLiteral("the secrets file needs its passphrase: set %1 or run from a terminal").arg(var);
            return nullptr;
        }
        m_store = std::make_unique<EncryptedFileCredentialStore>(m_ctx.home() + QStringLiteral("/secrets.age"), pass);
        return m_store.get();
    }
    if (backend != QLatin1String("prompt")) {
        const KeychainStatus status = KeychainProbe::detect();
        if (status.available()) {
            m_store = std::make_unique<KeychainCredentialStore>();
            return m_store.get();
        }
        m_message = status.message;
    } else {
        m_message = QStringLiteral("the secrets backend is \"prompt\" (ask every time)");
    }
    if (::isatty(STDIN_FILENO))
        m_store = std::make_unique<PromptCredentialStore>();
    return m_store.get();
}

QString CliSecrets::backendName() const {
    return m_store ? m_store->backendName() : QStringLiteral("no credential store");
}

bool CliSecrets::store(const QString &key, const QString &secret) {
    CredentialStore *store = credentialStore();
    if (!store || !store->isPersistent()) {
        m_message = QStringLiteral("%1: the secret was NOT stored. Give it at each run with --password-stdin or "
                                   "--secret-env VAR (or keep it in ~/.pgpass), or choose a store with `lifeboatctl "
                                   "secrets use keychain|file`.")
                        .arg(m_message.isEmpty() ? QStringLiteral("no persistent credential store") : m_message);
        return false;
    }
    // The audit row names the key, never the value.
    if (!store->write(key, secret)) {
        m_message = store->error().message;
        AuditTrail::record(QStringLiteral("secret.set"), key, QStringLiteral("failed"), 0, m_message);
        return false;
    }
    AuditTrail::record(QStringLiteral("secret.set"), key, QStringLiteral("ok"));
    return true;
}

bool CliSecrets::remove(const QString &key) {
    CredentialStore *store = credentialStore();
    if (!store)
        return false;
    // Removing an item is routine cleanup (profile remove, notify remove): only a secret that was there is an
    // audited change. A store that only asks (prompt) keeps nothing to remove and is not read.
    const bool existed = store->isPersistent() && store->read(key).has_value();
    const bool ok = store->remove(key);
    if (existed)
        AuditTrail::record(QStringLiteral("secret.remove"), key, ok ? QStringLiteral("ok") : QStringLiteral("failed"),
                           0, ok ? QString() : store->error().message);
    return ok;
}

QString CliSecrets::secret(const QString &key, bool fromStdin, const QString &envVar) {
    const QString value = lookup(key, fromStdin, envVar);
    ChildEnvironment::registerSecret(value);
    return value;
}

QString CliSecrets::lookup(const QString &key, bool fromStdin, const QString &envVar) {
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
    const auto value = store->read(key);
    if (!value && store->failure() != CredentialStore::Failure::NotFound &&
        store->failure() != CredentialStore::Failure::Declined)
        m_ctx.err() << "lifeboatctl: warning: " << store->error().message << Qt::endl;
    return value.value_or(QString());
}

QString CliSecrets::storageSecret(const QString &storage) {
    const auto sc = m_ctx.config().storage(storage);
    if (!sc || !sc->isS3() || sc->accessKeyId.isEmpty())
        return {};
    return secret(CredentialStore::storageSecretKey(storage), false, {});
}

QString CliSecrets::describe() {
    CredentialStore *store = credentialStore();
    return store ? store->backendName() : QStringLiteral("none (%1)").arg(m_message);
}

CredentialStore *CliSecrets::persistentStore() {
    CredentialStore *store = credentialStore();
    if (store && !store->isPersistent()) {
        m_message = QStringLiteral("%1 keeps nothing beyond this run").arg(store->backendName());
        return nullptr;
    }
    if (!store && m_message.isEmpty())
        m_message = QStringLiteral("no secret store is available");
    return store;
}

QHash<QString, QString> CliSecrets::storageSecrets(const QList<StorageConfig> &storages) {
    QHash<QString, QString> out;
    for (const StorageConfig &sc : storages)
        if (sc.isS3())
            out.insert(sc.name, storageSecret(sc.name));
    return out;
}
