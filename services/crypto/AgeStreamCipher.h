#pragma once

#include "crypto/AgePrimitives.h"

#include <memory>

struct evp_cipher_ctx_st;

namespace lifeboat {

// age's STREAM construction (C2SP age, "Payload"): the plaintext is cut into 64 KiB chunks, each sealed with
// ChaCha20-Poly1305 under the payload key and the nonce counter(11 bytes, big-endian) || last-flag(1 byte).
// The counter stops truncation and reordering, the flag stops truncation at a chunk boundary. One EVP context is
// reused for every chunk and callers supply the buffers, so the hot path does no allocation.
class AgeStreamCipher {
public:
    static constexpr qsizetype kChunkSize = 64 * 1024;
    static constexpr qsizetype kTagSize = AgePrimitives::kTagSize;
    static constexpr qsizetype kSealedChunkSize = kChunkSize + kTagSize;
    static constexpr int kNonceSize = 16; // the random nonce after the header, salt for the payload key

    AgeStreamCipher();
    ~AgeStreamCipher();
    AgeStreamCipher(const AgeStreamCipher &) = delete;
    AgeStreamCipher &operator=(const AgeStreamCipher &) = delete;

    // payload key = HKDF-SHA-256(ikm = file key, salt = nonce, info = "payload"); resets the chunk counter.
    bool init(QByteArrayView fileKey, QByteArrayView nonce, bool encrypt);

    // Seals len plaintext bytes into out (len + 16 bytes; may alias in) and advances the counter.
    bool seal(const unsigned char *in, qsizetype len, bool last, unsigned char *out);
    // Opens a sealed chunk (len >= 16) into out (len - 16 bytes). Returns false, leaving the counter alone, when
    // the tag does not verify for the given last flag; out then holds garbage that must not be released.
    bool open(const unsigned char *in, qsizetype len, bool last, unsigned char *out);

    quint64 chunkIndex() const { return m_counter; }

private:
    void nonce(bool last, unsigned char out[12]) const;

    struct Free {
        void operator()(evp_cipher_ctx_st *ctx) const;
    };
    std::unique_ptr<evp_cipher_ctx_st, Free> m_ctx;
    quint64 m_counter = 0; // 2^64 chunks of 64 KiB is far beyond any file; the upper nonce bytes stay zero
};

} // namespace lifeboat
