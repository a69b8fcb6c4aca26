#pragma once

#include "crypto/AgeArmorDecoder.h"
#include "crypto/AgeIdentity.h"
#include "crypto/AgeStreamCipher.h"
#include "pipeline/ByteSink.h"

#include <QByteArray>

#include <vector>

namespace lifeboat {

// Decrypts an age v1 stream (binary, or ASCII-armored) and forwards the plaintext. Input may arrive in pieces of
// any size: the header (at most 1 MiB) is gathered and parsed as soon as its closing line is in, then the payload
// is opened chunk by chunk with constant memory. Plaintext is forwarded only after its chunk's tag verified, so a
// tampered file never releases unauthenticated bytes; a truncated file (no final chunk) or trailing data after the
// final chunk fails. Every failure is ExitCode::Integrity (an empty identity list is ExitCode::Usage); failure()
// says which kind. A wrong key's message starts "no identity matched this backup".
class AgeDecryptStage : public ByteSink {
public:
    // The classes of the age test vectors (CCTV), so callers and tests can tell a wrong key from a broken file.
    enum class Failure { None, Armor, Header, NoMatch, HeaderMac, Payload, Downstream, Usage };

    static constexpr qsizetype kMaxHeaderSize = 1024 * 1024;

    // Detect: binary or armored, from the first non-whitespace byte (like the age command). Armored: the input must
    // be armored, so anything before the BEGIN line is an armor failure rather than "not an age file".
    enum class Input { Detect, Binary, Armored };

    AgeDecryptStage(std::vector<AgeIdentity> identities, ByteSink *next, Input input = Input::Detect);
    ~AgeDecryptStage() override;

    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;

    Failure failure() const { return m_failure; }
    quint64 plaintextBytes() const { return m_plainBytes; }
    // True once the header parsed, a key matched and the MAC verified.
    bool headerAuthenticated() const { return m_state >= State::Nonce && m_state != State::Failed; }

    // Whether a stream starts like a binary age v1 file ("age-encryption.org/v1\n"; needs its first 22 bytes).
    static bool looksLikeAge(QByteArrayView firstBytes);
    // Whether it starts like an armored one (optional leading whitespace, then the BEGIN line).
    static bool looksLikeArmoredAge(QByteArrayView firstBytes);

private:
    enum class State { Header, Nonce, Payload, Done, Failed };
    enum class Mode { Unknown, Binary, Armor };

    bool consumeBinary(QByteArrayView data);
    bool consumeHeader(QByteArrayView &data);
    bool openHeader(QByteArrayView headerText);
    bool consumePayload(QByteArrayView data);
    bool openFullChunk(const unsigned char *sealed);
    bool forward(qsizetype len);
    bool failWith(Failure kind, const QString &message);

    std::vector<AgeIdentity> m_identities;
    ByteSink *m_next;
    State m_state = State::Header;
    Failure m_failure = Failure::None;
    Mode m_mode = Mode::Unknown;
    AgeArmorDecoder m_armor;
    QByteArray m_armorOut; // decoded bytes of the current write, reused

    QByteArray m_header;
    qsizetype m_scanPos = 0;
    QByteArray m_fileKey;
    QByteArray m_nonce;

    AgeStreamCipher m_cipher;
    QByteArray m_in; // kSealedChunkSize: one sealed chunk being gathered
    qsizetype m_inFill = 0;
    QByteArray m_out;        // kChunkSize: opened plaintext
    bool m_sawFinal = false; // the chunk with the last-chunk flag has been opened and released
    quint64 m_plainBytes = 0;
};

} // namespace lifeboat
