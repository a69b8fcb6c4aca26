#include "pipeline/Sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace lifeboat {

void Sha256::Free::operator()(evp_md_ctx_st *ctx) const {
    EVP_MD_CTX_free(ctx);
}

Sha256::Sha256()
    : m_ctx(EVP_MD_CTX_new()) {
    if (!m_ctx || EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("OpenSSL: SHA-256 unavailable");
}

Sha256::~Sha256() = default;

void Sha256::add(QByteArrayView data) {
    if (!data.isEmpty())
        EVP_DigestUpdate(m_ctx.get(), data.data(), static_cast<size_t>(data.size()));
}

QByteArray Sha256::finalRaw() {
    QByteArray out(32, '\0');
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &len);
    return out;
}

QByteArray Sha256::finalHex() {
    return finalRaw().toHex();
}

QByteArray Sha256::hex(QByteArrayView data) {
    Sha256 h;
    h.add(data);
    return h.finalHex();
}

QByteArray Sha256::raw(QByteArrayView data) {
    Sha256 h;
    h.add(data);
    return h.finalRaw();
}

} // namespace lifeboat
