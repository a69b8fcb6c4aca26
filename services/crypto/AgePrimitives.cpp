#include "crypto/AgePrimitives.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <memory>

namespace lifeboat {

namespace {

struct KdfFree {
    void operator()(EVP_KDF *k) const { EVP_KDF_free(k); }
    void operator()(EVP_KDF_CTX *c) const { EVP_KDF_CTX_free(c); }
    void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
    void operator()(EVP_PKEY_CTX *c) const { EVP_PKEY_CTX_free(c); }
    void operator()(EVP_CIPHER_CTX *c) const { EVP_CIPHER_CTX_free(c); }
};
template <typename T> using Owned = std::unique_ptr<T, KdfFree>;

const unsigned char *u(QByteArrayView v) {
    return reinterpret_cast<const unsigned char *>(v.data());
}

bool aead(bool encrypt, const AgePrimitives::Key32 &key, const unsigned char *in, int inLen, unsigned char *out,
          unsigned char *tag) {
    static constexpr unsigned char kZeroNonce[12] = {};
    Owned<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
    if (!ctx ||
        EVP_CipherInit_ex(ctx.get(), EVP_chacha20_poly1305(), nullptr, key.data(), kZeroNonce, encrypt ? 1 : 0) != 1)
        return false;
    if (!encrypt && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, AgePrimitives::kTagSize, tag) != 1)
        return false;
    int len = 0;
    if (inLen > 0 && EVP_CipherUpdate(ctx.get(), out, &len, in, inLen) != 1)
        return false;
    int fin = 0;
    if (EVP_CipherFinal_ex(ctx.get(), out + len, &fin) != 1)
        return false;
    if (encrypt && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, AgePrimitives::kTagSize, tag) != 1)
        return false;
    return true;
}

} // namespace

bool AgePrimitives::hkdf(QByteArrayView ikm, QByteArrayView salt, QByteArrayView info, unsigned char *out,
                         size_t outLen) {
    Owned<EVP_KDF> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
    if (!kdf)
        return false;
    Owned<EVP_KDF_CTX> ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx)
        return false;
    char digest[] = "SHA256";
    OSSL_PARAM params[5];
    OSSL_PARAM *p = params;
    *p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
    *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char *>(ikm.data()), size_t(ikm.size()));
    *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char *>(info.data()), size_t(info.size()));
    if (!salt.isEmpty())
        *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char *>(salt.data()),
                                                 size_t(salt.size()));
    *p = OSSL_PARAM_construct_end();
    return EVP_KDF_derive(ctx.get(), out, outLen, params) == 1;
}

bool AgePrimitives::hmacSha256(QByteArrayView key, QByteArrayView data, unsigned char out[32]) {
    unsigned int len = 0;
    return HMAC(EVP_sha256(), key.data(), int(key.size()), u(data), size_t(data.size()), out, &len) != nullptr &&
           len == 32;
}

bool AgePrimitives::randomBytes(unsigned char *out, size_t len) {
    return RAND_bytes(out, int(len)) == 1;
}

std::optional<AgePrimitives::Key32> AgePrimitives::x25519PublicKey(const Key32 &secret) {
    Owned<EVP_PKEY> key(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, secret.data(), secret.size()));
    Key32 pub{};
    size_t len = pub.size();
    if (!key || EVP_PKEY_get_raw_public_key(key.get(), pub.data(), &len) != 1 || len != pub.size())
        return std::nullopt;
    return pub;
}

std::optional<AgePrimitives::Key32> AgePrimitives::x25519(const Key32 &secret, const Key32 &peerPublic) {
    Owned<EVP_PKEY> ours(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, secret.data(), secret.size()));
    Owned<EVP_PKEY> peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peerPublic.data(), peerPublic.size()));
    if (!ours || !peer)
        return std::nullopt;
    Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new(ours.get(), nullptr));
    Key32 shared{};
    size_t len = shared.size();
    // OpenSSL itself refuses an all-zero result; the explicit check below keeps that rule visible and certain.
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1 ||
        EVP_PKEY_derive(ctx.get(), shared.data(), &len) != 1 || len != shared.size())
        return std::nullopt;
    static constexpr Key32 kZero{};
    if (CRYPTO_memcmp(shared.data(), kZero.data(), shared.size()) == 0)
        return std::nullopt;
    return shared;
}

bool AgePrimitives::scrypt(QByteArrayView passphrase, QByteArrayView salt, int logN, Key32 &out) {
    if (logN < 1 || logN > 40)
        return false;
    const uint64_t n = uint64_t(1) << logN;
    const uint64_t r = 8;
    // OpenSSL's own accounting: 128*r*(N+2) for V plus 128*r*p for B; a little slack on top.
    const uint64_t maxMem = 128 * r * (n + 2) + 128 * r + (1 << 20);
    return EVP_PBE_scrypt(passphrase.data(), size_t(passphrase.size()), u(salt), size_t(salt.size()), n, r, 1, maxMem,
                          out.data(), out.size()) == 1;
}

QByteArray AgePrimitives::sealWithZeroNonce(const Key32 &key, QByteArrayView plaintext) {
    QByteArray out(plaintext.size() + kTagSize, Qt::Uninitialized);
    auto *o = reinterpret_cast<unsigned char *>(out.data());
    if (!aead(true, key, u(plaintext), int(plaintext.size()), o, o + plaintext.size()))
        return {};
    return out;
}

bool AgePrimitives::openWithZeroNonce(const Key32 &key, QByteArrayView ciphertext, QByteArray &plaintext) {
    if (ciphertext.size() < kTagSize)
        return false;
    const qsizetype n = ciphertext.size() - kTagSize;
    plaintext = QByteArray(n, Qt::Uninitialized);
    unsigned char tag[kTagSize];
    memcpy(tag, ciphertext.data() + n, kTagSize);
    if (!aead(false, key, u(ciphertext), int(n), reinterpret_cast<unsigned char *>(plaintext.data()), tag)) {
        cleanse(plaintext);
        plaintext.clear();
        return false;
    }
    return true;
}

void AgePrimitives::cleanse(QByteArray &secret) {
    if (!secret.isEmpty() && secret.isDetached())
        OPENSSL_cleanse(secret.data(), size_t(secret.size()));
}

void AgePrimitives::cleanse(Key32 &secret) {
    OPENSSL_cleanse(secret.data(), secret.size());
}

} // namespace lifeboat
