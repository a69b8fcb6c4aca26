#include "crypto/AgeDecryptStage.h"

#include <QStringList>

#include <openssl/crypto.h>

namespace lifeboat {

namespace {
constexpr qsizetype kSealed = AgeStreamCipher::kSealedChunkSize;
constexpr qsizetype kTag = AgeStreamCipher::kTagSize;
} // namespace

AgeDecryptStage::AgeDecryptStage(std::vector<AgeIdentity> identities, ByteSink *next, Input input)
    : m_identities(std::move(identities))
    , m_next(next)
    , m_mode(input == Input::Binary    ? Mode::Binary
             : input == Input::Armored ? Mode::Armor
                                       : Mode::Unknown)
    , m_in(kSealed, Qt::Uninitialized)
    , m_out(AgeStreamCipher::kChunkSize, Qt::Uninitialized) {}

AgeDecryptStage::~AgeDecryptStage() {
    AgePrimitives::cleanse(m_fileKey);
    AgePrimitives::cleanse(m_out);
}

bool AgeDecryptStage::looksLikeAge(QByteArrayView firstBytes) {
    return firstBytes.startsWith(AgeHeader::kMagic);
}

bool AgeDecryptStage::failWith(Failure kind, const QString &message) {
    if (m_state != State::Failed) {
        m_state = State::Failed;
        m_failure = kind;
        AgePrimitives::cleanse(m_fileKey);
        AgePrimitives::cleanse(m_out);
    }
    return fail(kind == Failure::Usage ? ExitCode::Usage : ExitCode::Integrity, message);
}

bool AgeDecryptStage::looksLikeArmoredAge(QByteArrayView firstBytes) {
    qsizetype i = 0;
    while (i < firstBytes.size() && AgeArmorDecoder::isSpace(firstBytes[i]))
        ++i;
    return firstBytes.sliced(i).startsWith(AgeArmorDecoder::kBegin);
}

bool AgeDecryptStage::write(QByteArrayView data) {
    if (m_state == State::Failed)
        return fail(ExitCode::Integrity, QStringLiteral("age decryption: write after a failure"));
    if (m_state == State::Done)
        return fail(ExitCode::Integrity, QStringLiteral("age decryption: write after finish"));
    if (m_mode == Mode::Unknown) {
        // Binary age starts with "age-"; armor may have leading whitespace, then "-----BEGIN".
        qsizetype i = 0;
        while (i < data.size() && AgeArmorDecoder::isSpace(data[i]))
            ++i;
        if (i < data.size())
            m_mode = data[i] == '-' ? Mode::Armor : Mode::Binary;
        else if (i > 0)
            m_mode = Mode::Armor; // only whitespace so far: legal only before armor
    }
    if (m_mode == Mode::Armor) {
        m_armorOut.resize(0);
        if (!m_armor.feed(data, &m_armorOut))
            return failWith(Failure::Armor, m_armor.error());
        return consumeBinary(m_armorOut);
    }
    return consumeBinary(data);
}

bool AgeDecryptStage::consumeBinary(QByteArrayView data) {
    switch (m_state) {
    case State::Failed:
    case State::Done:
        return false;
    case State::Header:
        if (!consumeHeader(data))
            return false;
        if (m_state == State::Header)
            return true;
        [[fallthrough]];
    case State::Nonce:
        if (m_state == State::Nonce) {
            const qsizetype take = qMin(AgeStreamCipher::kNonceSize - m_nonce.size(), data.size());
            m_nonce += data.first(take);
            data = data.sliced(take);
            if (m_nonce.size() < AgeStreamCipher::kNonceSize)
                return true;
            const bool ok = m_cipher.init(m_fileKey, m_nonce, false);
            AgePrimitives::cleanse(m_fileKey);
            if (!ok)
                return failWith(Failure::Payload, QStringLiteral("age decryption: deriving the payload key failed"));
            m_state = State::Payload;
        }
        [[fallthrough]];
    case State::Payload:
        return consumePayload(data);
    }
    return false;
}

bool AgeDecryptStage::consumeHeader(QByteArrayView &data) {
    const qsizetype before = m_header.size();
    // Copy no more than the header can need, so a huge first write is not duplicated in memory.
    const qsizetype take = qMin(data.size(), kMaxHeaderSize + 1 - before);
    m_header += data.first(take);

    const qsizetype n = qMin(m_header.size(), AgeHeader::kMagic.size());
    if (QByteArrayView(m_header).first(n) != AgeHeader::kMagic.first(n)) {
        if (m_header.startsWith("age-encryption.org/"))
            return failWith(Failure::Header, QStringLiteral("unsupported age format version; Lifeboat reads "
                                                            "\"age-encryption.org/v1\" files"));
        return failWith(Failure::Header,
                        QStringLiteral("not an age-encrypted file (it does not start with \"age-encryption.org/v1\")"));
    }

    const qsizetype end = AgeHeader::findEnd(m_header, &m_scanPos);
    if (end < 0) {
        if (m_header.size() > kMaxHeaderSize)
            return failWith(
                Failure::Header,
                QStringLiteral("the age header is larger than %1 KiB: corrupt file").arg(kMaxHeaderSize / 1024));
        data = {};
        return true;
    }
    data = data.sliced(end - before);
    m_header.truncate(end);
    return openHeader(m_header);
}

bool AgeDecryptStage::openHeader(QByteArrayView headerText) {
    QString why;
    const auto header = AgeHeader::parse(headerText, &why);
    if (!header)
        return failWith(Failure::Header, QStringLiteral("malformed age header: %1").arg(why));
    for (const AgeStanza &s : header->stanzas) {
        if (s.type == "scrypt" && header->stanzas.size() != 1)
            return failWith(Failure::Header, QStringLiteral("malformed age header: a passphrase (scrypt) stanza must "
                                                            "be the only recipient stanza"));
    }
    if (m_identities.empty())
        return failWith(Failure::Usage, QStringLiteral("no identity or passphrase was given to decrypt with"));

    bool matched = false;
    for (const AgeIdentity &id : m_identities) {
        const auto r = id.unwrap(header->stanzas, &m_fileKey, &why);
        if (r == AgeIdentity::Unwrap::Invalid)
            return failWith(Failure::Header, QStringLiteral("malformed age header: %1").arg(why));
        if (r == AgeIdentity::Unwrap::Matched) {
            matched = true;
            break;
        }
    }
    if (!matched) {
        QStringList types;
        for (const AgeStanza &s : header->stanzas) {
            const QString t = s.type == "X25519"   ? QStringLiteral("X25519 key")
                              : s.type == "scrypt" ? QStringLiteral("passphrase")
                                                   : QString::fromLatin1(s.type);
            if (!types.contains(t))
                types << t;
        }
        return failWith(Failure::NoMatch,
                        QStringLiteral("no identity matched this backup: it is encrypted to %1 recipient(s) (%2), "
                                       "and none of the %3 given identity/passphrase(s) opens them; check the "
                                       "identity file or passphrase")
                            .arg(header->stanzas.size())
                            .arg(types.join(QStringLiteral(", ")))
                            .arg(m_identities.size()));
    }

    AgePrimitives::Key32 macKey{};
    unsigned char mac[32];
    const bool ok =
        AgePrimitives::hkdf(m_fileKey, {}, "header", macKey.data(), macKey.size()) &&
        AgePrimitives::hmacSha256({reinterpret_cast<const char *>(macKey.data()), 32}, header->macedBytes, mac);
    AgePrimitives::cleanse(macKey);
    if (!ok)
        return failWith(Failure::HeaderMac, QStringLiteral("age decryption: computing the header MAC failed"));
    if (CRYPTO_memcmp(mac, header->mac.constData(), 32) != 0)
        return failWith(Failure::HeaderMac, QStringLiteral("age header MAC mismatch: the header was modified or the "
                                                           "file is corrupt"));
    m_header.clear();
    m_header.squeeze();
    m_state = State::Nonce;
    return true;
}

bool AgeDecryptStage::forward(qsizetype len) {
    m_plainBytes += quint64(len);
    if (len > 0 && !m_next->write(QByteArrayView(m_out.constData(), len))) {
        m_failure = Failure::Downstream;
        m_state = State::Failed;
        return failFrom(*m_next);
    }
    return true;
}

bool AgeDecryptStage::openFullChunk(const unsigned char *sealed) {
    auto *out = reinterpret_cast<unsigned char *>(m_out.data());
    const quint64 index = m_cipher.chunkIndex();
    if (m_cipher.open(sealed, kSealed, false, out))
        return forward(AgeStreamCipher::kChunkSize);
    // A full-size chunk may also be the final one. It is authentic and complete, so it is released now, as the
    // age test vectors require; anything after it is then rejected as trailing data.
    if (m_cipher.open(sealed, kSealed, true, out)) {
        m_sawFinal = true;
        return forward(AgeStreamCipher::kChunkSize);
    }
    return failWith(Failure::Payload, QStringLiteral("age payload chunk %1 failed authentication: the file is corrupt "
                                                     "or was tampered with")
                                          .arg(index));
}

bool AgeDecryptStage::consumePayload(QByteArrayView data) {
    auto *in = reinterpret_cast<unsigned char *>(m_in.data());
    while (!data.isEmpty()) {
        if (m_sawFinal)
            return failWith(Failure::Payload, QStringLiteral("age payload has trailing data after its final chunk"));
        if (m_inFill == 0 && data.size() >= kSealed) {
            // Fast path: open straight from the caller's buffer.
            if (!openFullChunk(reinterpret_cast<const unsigned char *>(data.data())))
                return false;
            data = data.sliced(kSealed);
            continue;
        }
        const qsizetype take = qMin(kSealed - m_inFill, data.size());
        memcpy(in + m_inFill, data.data(), size_t(take));
        m_inFill += take;
        data = data.sliced(take);
        if (m_inFill == kSealed) {
            m_inFill = 0;
            if (!openFullChunk(in))
                return false;
        }
    }
    return true;
}

bool AgeDecryptStage::finish() {
    switch (m_state) {
    case State::Failed:
        return fail(ExitCode::Integrity, QStringLiteral("age decryption: finish after a failure"));
    case State::Done:
        return fail(ExitCode::Integrity, QStringLiteral("age decryption: finish called twice"));
    case State::Header:
        if (m_mode == Mode::Armor && !m_armor.finish())
            return failWith(Failure::Armor, m_armor.error());
        if (m_header.isEmpty())
            return failWith(Failure::Header, QStringLiteral("the encrypted input is empty (not an age file)"));
        return failWith(Failure::Header, QStringLiteral("truncated age file: it ends inside the header"));
    case State::Nonce:
        if (m_mode == Mode::Armor && !m_armor.finish())
            return failWith(Failure::Armor, m_armor.error());
        return failWith(Failure::Header, QStringLiteral("truncated age file: it ends before the payload nonce"));
    case State::Payload:
        break;
    }
    // A broken armor ending is reported as such, before what it did to the payload inside.
    if (m_mode == Mode::Armor && !m_armor.finish())
        return failWith(Failure::Armor, m_armor.error());
    if (!m_sawFinal) {
        if (m_inFill == 0)
            return failWith(Failure::Payload,
                            m_cipher.chunkIndex() == 0
                                ? QStringLiteral("truncated age file: the encrypted payload is missing")
                                : QStringLiteral("truncated age file: it ends without its final chunk"));
        if (m_inFill < kTag)
            return failWith(Failure::Payload, QStringLiteral("truncated age file: the last chunk is shorter than its "
                                                             "authentication tag"));
        if (m_inFill == kTag && m_cipher.chunkIndex() > 0)
            return failWith(Failure::Payload,
                            QStringLiteral("malformed age payload: the final chunk is empty (only an empty file may "
                                           "end with an empty chunk)"));
        const quint64 index = m_cipher.chunkIndex();
        if (!m_cipher.open(reinterpret_cast<const unsigned char *>(m_in.constData()), m_inFill, true,
                           reinterpret_cast<unsigned char *>(m_out.data())))
            return failWith(Failure::Payload, QStringLiteral("age payload chunk %1 (the last) failed authentication: "
                                                             "the file is truncated, corrupt or was tampered with")
                                                  .arg(index));
        m_sawFinal = true;
        const qsizetype len = m_inFill - kTag;
        m_inFill = 0;
        if (!forward(len))
            return false;
    }
    m_state = State::Done;
    AgePrimitives::cleanse(m_out);
    if (!m_next->finish()) {
        m_failure = Failure::Downstream;
        return failFrom(*m_next);
    }
    return true;
}

void AgeDecryptStage::abort() {
    if (m_state != State::Failed)
        m_state = State::Failed;
    AgePrimitives::cleanse(m_fileKey);
    AgePrimitives::cleanse(m_out);
    m_next->abort();
}

} // namespace lifeboat
