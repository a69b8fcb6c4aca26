#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <optional>

namespace lifeboat {

// The handful of OpenSSL 3 primitives the age format is built from, with age's fixed parameters baked in
// (HKDF and HMAC over SHA-256, X25519, scrypt r=8 p=1, ChaCha20-Poly1305 with a zero nonce for key wrapping).
// Keeping them here lets the header, recipient and identity code read like the specification.
class AgePrimitives {
public:
    using Key32 = std::array<unsigned char, 32>;

    static constexpr int kFileKeySize = 16;
    static constexpr int kTagSize = 16;

    // HKDF-SHA-256; an empty salt is the RFC 5869 default (a hash-length block of zeros).
    static bool hkdf(QByteArrayView ikm, QByteArrayView salt, QByteArrayView info, unsigned char *out, size_t outLen);
    static bool hmacSha256(QByteArrayView key, QByteArrayView data, unsigned char out[32]);

    static bool randomBytes(unsigned char *out, size_t len);

    // Public key of an X25519 secret scalar.
    static std::optional<Key32> x25519PublicKey(const Key32 &secret);
    // Shared secret; nullopt when the peer share is a low-order point (all-zero result), which age rejects.
    static std::optional<Key32> x25519(const Key32 &secret, const Key32 &peerPublic);

    // scrypt with age's r=8, p=1 and 2^logN; allows the memory that logN needs (128 * 8 * 2^logN bytes).
    static bool scrypt(QByteArrayView passphrase, QByteArrayView salt, int logN, Key32 &out);

    // ChaCha20-Poly1305 with an all-zero nonce: safe only because every wrapping key is used exactly once.
    static QByteArray sealWithZeroNonce(const Key32 &key, QByteArrayView plaintext);
    // Returns false when the tag does not verify (the identity does not match).
    static bool openWithZeroNonce(const Key32 &key, QByteArrayView ciphertext, QByteArray &plaintext);

    static void cleanse(QByteArray &secret);
    static void cleanse(Key32 &secret);
};

} // namespace lifeboat
