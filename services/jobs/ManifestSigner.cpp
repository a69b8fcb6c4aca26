#include "jobs/ManifestSigner.h"

#include "catalog/CanonicalJson.h"
#include "core/ChildEnvironment.h"
#include "crypto/Ed25519.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QMutexLocker>

#include <openssl/crypto.h>

namespace lifeboat {

namespace {
QMutex g_mutex;
std::shared_ptr<const ManifestSigner> g_signer;
QString g_installationKeyId;

bool registerPublicKey(Catalog *catalog, const ManifestSigner &signer, const QString &label, Error *error) {
    if (!catalog)
        return true;
    QString why;
    if (!catalog->addSigningKey({signer.keyId(), signer.publicKeyText(), label, QDateTime::currentDateTimeUtc()},
                                &why)) {
        *error = {ExitCode::Usage,
                  QStringLiteral("the signing key's public part could not be added to the catalog: %1").arg(why)};
        return false;
    }
    return true;
}

std::shared_ptr<const ManifestSigner> createAndStore(CredentialStore *store, Catalog *catalog, const QString &label,
                                                     Error *error) {
    QByteArray seed = Ed25519::generatePrivateKey();
    auto signer = ManifestSigner::fromPrivateKey(seed);
    const QString text = QString::fromLatin1(seed.toBase64());
    OPENSSL_cleanse(seed.data(), size_t(seed.size()));
    if (!signer) {
        *error = {ExitCode::Usage, QStringLiteral("could not create a signing key (OpenSSL)")};
        return nullptr;
    }
    ChildEnvironment::registerSecret(text);
    if (!store->write(QString::fromLatin1(ManifestSigner::kSecretKey), text)) {
        *error = {ExitCode::Usage, QStringLiteral("the new signing key could not be stored in %1: %2")
                                       .arg(store->backendName(), store->error().message)};
        return nullptr;
    }
    // Stored first, then published: should the catalog refuse, nothing is signed now and the next load adds the
    // public key again (loadOrCreate registers on every load).
    if (!registerPublicKey(catalog, *signer, label, error))
        return nullptr;
    return signer;
}
} // namespace

ManifestSigner::~ManifestSigner() {
    if (!m_privateKey.isEmpty())
        OPENSSL_cleanse(m_privateKey.data(), size_t(m_privateKey.size()));
}

std::shared_ptr<const ManifestSigner> ManifestSigner::fromPrivateKey(const QByteArray &seed) {
    const QByteArray pub = Ed25519::publicKey(seed);
    if (pub.isEmpty())
        return nullptr;
    std::shared_ptr<ManifestSigner> s(new ManifestSigner); // private constructor: make_shared cannot reach it
    s->m_privateKey = seed;
    s->m_privateKey.detach();
    s->m_publicKey = pub;
    s->m_keyId = Ed25519::keyId(pub);
    return s;
}

std::shared_ptr<const ManifestSigner> ManifestSigner::loadOrCreate(CredentialStore *store, Catalog *catalog,
                                                                   const QString &label, bool *created, Error *error) {
    if (created)
        *created = false;
    if (!store) {
        *error = {ExitCode::Usage, QStringLiteral("no secret store is available")};
        return nullptr;
    }
    const auto stored = store->read(QString::fromLatin1(kSecretKey));
    if (stored) {
        ChildEnvironment::registerSecret(*stored);
        QByteArray seed = QByteArray::fromBase64(stored->toLatin1());
        auto signer = fromPrivateKey(seed);
        OPENSSL_cleanse(seed.data(), size_t(seed.size()));
        if (!signer) {
            *error = {ExitCode::Usage, QStringLiteral("the signing key in %1 (\"%2\") is not a valid Ed25519 key")
                                           .arg(store->backendName(), QString::fromLatin1(kSecretKey))};
            return nullptr;
        }
        // A catalog opened for the first time (or a new team catalog) learns this installation's public key.
        if (!registerPublicKey(catalog, *signer, label, error))
            return nullptr;
        return signer;
    }
    if (store->failure() != CredentialStore::Failure::NotFound) {
        *error = {ExitCode::Usage, store->error().message.isEmpty()
                                       ? QStringLiteral("the secret store could not be read")
                                       : store->error().message};
        return nullptr;
    }
    if (!store->isPersistent()) {
        *error = {ExitCode::Usage,
                  QStringLiteral("%1 keeps nothing beyond this run, so no signing key can be kept there")
                      .arg(store->backendName())};
        return nullptr;
    }
    auto signer = createAndStore(store, catalog, label, error);
    if (signer && created)
        *created = true;
    return signer;
}

std::shared_ptr<const ManifestSigner> ManifestSigner::rotate(CredentialStore *store, Catalog *catalog,
                                                             const QString &label, Error *error) {
    if (!store || !store->isPersistent()) {
        *error = {ExitCode::Usage, QStringLiteral("rotating the signing key needs a secret store that keeps it "
                                                  "(`lifeboatctl secrets use keychain|file`)")};
        return nullptr;
    }
    return createAndStore(store, catalog, label, error);
}

QString ManifestSigner::publicKeyText() const {
    return Ed25519::publicKeyText(m_publicKey);
}

QByteArray ManifestSigner::sign(const QByteArray &json, QString *error) const {
    QJsonParseError pe;
    QJsonObject o = QJsonDocument::fromJson(json, &pe).object();
    if (o.isEmpty()) {
        if (error)
            *error = QStringLiteral("the manifest is not a JSON object: %1").arg(pe.errorString());
        return {};
    }
    o.remove(QStringLiteral("signature"));
    QString why;
    const QByteArray canonical = CanonicalJson::serialize(o, &why);
    if (canonical.isEmpty()) {
        if (error)
            *error = why;
        return {};
    }
    const QByteArray sig = Ed25519::sign(m_privateKey, canonical);
    if (sig.isEmpty()) {
        if (error)
            *error = QStringLiteral("Ed25519 signing failed (OpenSSL)");
        return {};
    }
    o[QStringLiteral("signature")] = QJsonObject{{QStringLiteral("algorithm"), QStringLiteral("ed25519")},
                                                 {QStringLiteral("keyId"), m_keyId},
                                                 {QStringLiteral("publicKey"), publicKeyText()},
                                                 {QStringLiteral("value"), QString::fromLatin1(sig.toBase64())}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

void ManifestSigner::install(std::shared_ptr<const ManifestSigner> signer) {
    QMutexLocker lock(&g_mutex);
    g_signer = std::move(signer);
    if (g_signer)
        g_installationKeyId = g_signer->keyId();
}

std::shared_ptr<const ManifestSigner> ManifestSigner::installed() {
    QMutexLocker lock(&g_mutex);
    return g_signer;
}

void ManifestSigner::setInstallationKeyId(const QString &keyId) {
    QMutexLocker lock(&g_mutex);
    g_installationKeyId = keyId;
}

QString ManifestSigner::installationKeyId() {
    QMutexLocker lock(&g_mutex);
    return g_installationKeyId;
}

QByteArray ManifestSigner::manifestJson(const Manifest &manifest, QString *note) {
    const QByteArray plain = manifest.toJson();
    const auto signer = installed();
    if (!signer) {
        if (note)
            *note = QStringLiteral("manifest not signed: this installation has no signing key (see `lifeboatctl "
                                   "keys`)");
        return plain;
    }
    QString why;
    const QByteArray signedJson = signer->sign(plain, &why);
    if (signedJson.isEmpty()) {
        if (note)
            *note = QStringLiteral("manifest not signed: %1").arg(why);
        return plain;
    }
    if (note)
        *note = QStringLiteral("manifest signed with key %1").arg(signer->keyId());
    return signedJson;
}

} // namespace lifeboat
