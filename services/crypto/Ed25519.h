#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace lifeboat {

// Ed25519 (RFC 8032, pure: no pre-hash) through OpenSSL 3's EVP_PKEY_ED25519, on raw 32-byte keys. Used to sign
// manifests with the installation signing key; nothing here stores or logs a key.
class Ed25519 {
public:
    static constexpr int kKeySize = 32;
    static constexpr int kSignatureSize = 64;

    // A fresh private key (the 32-byte seed) from OpenSSL's CSPRNG; empty on failure.
    static QByteArray generatePrivateKey();
    // The public key of a private seed; empty when the seed is not 32 bytes.
    static QByteArray publicKey(QByteArrayView privateKey);
    // 64-byte signature of message; empty on failure.
    static QByteArray sign(QByteArrayView privateKey, QByteArrayView message);
    // True only for a valid signature of exactly these bytes by this public key.
    static bool verify(QByteArrayView publicKey, QByteArrayView message, QByteArrayView signature);

    // The text form of a public key, as `lifeboatctl keys` prints and `keys trust` takes: "ed25519:BASE64".
    static QString publicKeyText(QByteArrayView publicKey);
    // Parses that form (the bare base64 is accepted too); empty when it is not a 32-byte Ed25519 public key.
    static QByteArray parsePublicKeyText(const QString &text);
    // The key id: the first 32 hex digits (128 bits) of SHA-256 over the raw public key.
    static QString keyId(QByteArrayView publicKey);
};

} // namespace lifeboat
