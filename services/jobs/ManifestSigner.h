#pragma once

#include "catalog/Catalog.h"
#include "catalog/Manifest.h"
#include "core/CredentialStore.h"
#include "core/ExitCode.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace lifeboat {

// Signs manifests with the installation signing key (Ed25519). The signature lives in the manifest itself, as a
// top-level "signature" object {algorithm, keyId, publicKey, value} over the canonical bytes of every other member
// (CanonicalJson): one file per copy as before, so every path that copies, mirrors, downloads or deletes a manifest
// keeps the signature with it, and no second object can go missing or be left behind. The public key inside only
// names the signer; trust comes from the catalog's signing_keys (ManifestVerifier).
//
// The private key is kept in the secret store under "signing/installation" (base64 of the 32-byte seed) and
// created there on first use; its public key goes into the catalog. Backups of every kind call manifestJson(), which
// signs with the signer installed for this process (by lifeboatctl or the desktop app before they start a backup),
// or writes the manifest unsigned when none is.
class ManifestSigner {
public:
    static constexpr const char *kSecretKey = "signing/installation";

    ~ManifestSigner();
    ManifestSigner(const ManifestSigner &) = delete;
    ManifestSigner &operator=(const ManifestSigner &) = delete;

    // A signer for a 32-byte private seed; null when it is not a valid Ed25519 key.
    static std::shared_ptr<const ManifestSigner> fromPrivateKey(const QByteArray &seed);

    // This installation's signer: the key in `store`, or a new one written there when it has none (only when the
    // store keeps secrets beyond this process). Its public key is added to the catalog with `label`. Null with
    // *error set when no key can be had; *created says a new key was made.
    static std::shared_ptr<const ManifestSigner> loadOrCreate(CredentialStore *store, Catalog *catalog,
                                                              const QString &label, bool *created, Error *error);
    // Makes a new key, stores it under kSecretKey in place of the current one and adds its public key to the
    // catalog; the old public key stays there, so manifests it signed still verify ("known key").
    static std::shared_ptr<const ManifestSigner> rotate(CredentialStore *store, Catalog *catalog, const QString &label,
                                                        Error *error);

    QString keyId() const { return m_keyId; }
    QByteArray publicKey() const { return m_publicKey; }
    QString publicKeyText() const;

    // `json` (a manifest object) with a "signature" member over its canonical bytes, indented; empty on failure.
    QByteArray sign(const QByteArray &json, QString *error) const;

    // The signer backups in this process use (thread-safe); null: manifests are written unsigned.
    static void install(std::shared_ptr<const ManifestSigner> signer);
    static std::shared_ptr<const ManifestSigner> installed();
    // The key id of this installation's key as the settings remember it, so restores can say "signed by this
    // installation" without opening the secret store. Thread-safe.
    static void setInstallationKeyId(const QString &keyId);
    static QString installationKeyId();

    // What a backup writes beside its artifact: the manifest signed by the installed signer, or unsigned when
    // there is none (*note then says so, for the job's log).
    static QByteArray manifestJson(const Manifest &manifest, QString *note = nullptr);

private:
    ManifestSigner() = default;

    QByteArray m_privateKey;
    QByteArray m_publicKey;
    QString m_keyId;
};

} // namespace lifeboat
