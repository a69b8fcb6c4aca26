#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

struct evp_md_ctx_st;

namespace lifeboat {

// Incremental SHA-256 on OpenSSL's EVP (hardware-accelerated where the CPU offers it).
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void add(QByteArrayView data);
    QByteArray finalHex(); // lower-case hex; the object can't be reused afterwards
    QByteArray finalRaw();

    static QByteArray hex(QByteArrayView data);
    static QByteArray raw(QByteArrayView data);

private:
    struct Free {
        void operator()(evp_md_ctx_st *ctx) const;
    };
    std::unique_ptr<evp_md_ctx_st, Free> m_ctx;
};

} // namespace lifeboat
