#include "crypto/AgeStreamCipher.h"

#include <openssl/evp.h>

namespace lifeboat {

void AgeStreamCipher::Free::operator()(evp_cipher_ctx_st *ctx) const {
    EVP_CIPHER_CTX_free(ctx);
}

AgeStreamCipher::AgeStreamCipher()
    : m_ctx(EVP_CIPHER_CTX_new()) {}

AgeStreamCipher::~AgeStreamCipher() = default; // EVP_CIPHER_CTX_free wipes the key schedule

bool AgeStreamCipher::init(QByteArrayView fileKey, QByteArrayView nonce, bool encrypt) {
    if (!m_ctx)
        return false;
    AgePrimitives::Key32 key{};
    const bool ok =
        AgePrimitives::hkdf(fileKey, nonce, "payload", key.data(), key.size()) &&
        EVP_CipherInit_ex(m_ctx.get(), EVP_chacha20_poly1305(), nullptr, key.data(), nullptr, encrypt ? 1 : 0) == 1;
    AgePrimitives::cleanse(key);
    m_counter = 0;
    return ok;
}

void AgeStreamCipher::nonce(bool last, unsigned char out[12]) const {
    memset(out, 0, 12);
    for (int i = 0; i < 8; ++i)
        out[10 - i] = static_cast<unsigned char>(m_counter >> (8 * i));
    out[11] = last ? 1 : 0;
}

bool AgeStreamCipher::seal(const unsigned char *in, qsizetype len, bool last, unsigned char *out) {
    unsigned char iv[12];
    nonce(last, iv);
    int n = 0;
    int fin = 0;
    if (EVP_CipherInit_ex(m_ctx.get(), nullptr, nullptr, nullptr, iv, 1) != 1 ||
        (len > 0 && EVP_CipherUpdate(m_ctx.get(), out, &n, in, int(len)) != 1) ||
        EVP_CipherFinal_ex(m_ctx.get(), out + n, &fin) != 1 ||
        EVP_CIPHER_CTX_ctrl(m_ctx.get(), EVP_CTRL_AEAD_GET_TAG, int(kTagSize), out + len) != 1)
        return false;
    ++m_counter;
    return true;
}

bool AgeStreamCipher::open(const unsigned char *in, qsizetype len, bool last, unsigned char *out) {
    if (len < kTagSize)
        return false;
    const qsizetype plainLen = len - kTagSize;
    unsigned char iv[12];
    nonce(last, iv);
    unsigned char tag[kTagSize];
    memcpy(tag, in + plainLen, size_t(kTagSize));
    int n = 0;
    int fin = 0;
    if (EVP_CipherInit_ex(m_ctx.get(), nullptr, nullptr, nullptr, iv, 0) != 1 ||
        EVP_CIPHER_CTX_ctrl(m_ctx.get(), EVP_CTRL_AEAD_SET_TAG, int(kTagSize), tag) != 1 ||
        (plainLen > 0 && EVP_CipherUpdate(m_ctx.get(), out, &n, in, int(plainLen)) != 1) ||
        EVP_CipherFinal_ex(m_ctx.get(), out + n, &fin) != 1)
        return false;
    ++m_counter;
    return true;
}

} // namespace lifeboat
