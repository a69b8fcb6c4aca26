#include "crypto/Ed25519.h"

#include <QCryptographicHash>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

namespace lifeboat {

namespace {
struct PkeyFree {
    void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

const auto *bytes(QByteArrayView v) {
    return reinterpret_cast<const unsigned char *>(v.data());
}
} // namespace

QByteArray Ed25519::generatePrivateKey() {
    QByteArray seed(kKeySize, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char *>(seed.data()), kKeySize) != 1)
        return {};
    return seed;
}

QByteArray Ed25519::publicKey(QByteArrayView privateKey) {
    if (privateKey.size() != kKeySize)
        return {};
    Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes(privateKey), kKeySize));
    if (!key)
        return {};
    QByteArray pub(kKeySize, '\0');
    size_t len = kKeySize;
    if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char *>(pub.data()), &len) != 1 ||
        len != kKeySize)
        return {};
    return pub;
}

QByteArray Ed25519::sign(QByteArrayView privateKey, QByteArrayView message) {
    if (privateKey.size() != kKeySize)
        return {};
    Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes(privateKey), kKeySize));
    MdCtx ctx(EVP_MD_CTX_new());
    if (!key || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        return {};
    QByteArray sig(kSignatureSize, '\0');
    size_t len = kSignatureSize;
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(sig.data()), &len, bytes(message),
                       size_t(message.size())) != 1 ||
        len != kSignatureSize)
        return {};
    return sig;
}

bool Ed25519::verify(QByteArrayView publicKey, QByteArrayView message, QByteArrayView signature) {
    if (publicKey.size() != kKeySize || signature.size() != kSignatureSize)
        return false;
    Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(publicKey), kKeySize));
    MdCtx ctx(EVP_MD_CTX_new());
    if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        return false;
    return EVP_DigestVerify(ctx.get(), bytes(signature), size_t(signature.size()), bytes(message),
                            size_t(message.size())) == 1;
}

QString Ed25519::publicKeyText(QByteArrayView publicKey) {
    return QStringLiteral("ed25519:") + QString::fromLatin1(publicKey.toByteArray().toBase64());
}

QByteArray Ed25519::parsePublicKeyText(const QString &text) {
    QString t = text.trimmed();
    if (t.startsWith(QLatin1String("ed25519:")))
        t = t.mid(8);
    const auto decoded = QByteArray::fromBase64Encoding(t.toLatin1(), QByteArray::Base64Encoding |
                                                                          QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != kKeySize)
        return {};
    // Refuse bytes OpenSSL does not take as a public key, so a key that was trusted can also be used.
    if (!Pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(decoded.decoded), kKeySize)))
        return {};
    return decoded.decoded;
}

QString Ed25519::keyId(QByteArrayView publicKey) {
    return QString::fromLatin1(QCryptographicHash::hash(publicKey, QCryptographicHash::Sha256).toHex().left(32));
}

} // namespace lifeboat
