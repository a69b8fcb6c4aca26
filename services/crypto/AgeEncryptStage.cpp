#include "crypto/AgeEncryptStage.h"

#include <QStringList>

#include <openssl/crypto.h>

namespace lifeboat {

AgeEncryptStage::AgeEncryptStage(std::vector<AgeRecipient> recipients, ByteSink *next)
    : m_recipients(std::move(recipients))
    , m_next(next)
    , m_buf(AgeStreamCipher::kSealedChunkSize, Qt::Uninitialized) {}

AgeEncryptStage::~AgeEncryptStage() {
    AgePrimitives::cleanse(m_buf);
}

QStringList AgeEncryptStage::recipientStrings() const {
    QStringList out;
    for (const AgeRecipient &r : m_recipients)
        out << r.toString();
    return out;
}

bool AgeEncryptStage::failEncrypt(ExitCode code, const QString &message) {
    m_done = true;
    return fail(code, QStringLiteral("age encryption: %1").arg(message));
}

bool AgeEncryptStage::start() {
    m_started = true;
    if (m_recipients.empty())
        return failEncrypt(ExitCode::Usage, QStringLiteral("no recipients given"));
    for (const AgeRecipient &r : m_recipients) {
        if (r.isPassphrase() && m_recipients.size() != 1)
            return failEncrypt(ExitCode::Usage,
                               QStringLiteral("a passphrase can't be combined with other recipients (the age format "
                                              "requires the scrypt stanza to be the only one)"));
    }

    unsigned char fileKey[AgePrimitives::kFileKeySize];
    unsigned char nonce[AgeStreamCipher::kNonceSize];
    if (!AgePrimitives::randomBytes(fileKey, sizeof fileKey) || !AgePrimitives::randomBytes(nonce, sizeof nonce))
        return failEncrypt(ExitCode::Integrity, QStringLiteral("the system random generator failed"));
    const QByteArrayView fileKeyView(reinterpret_cast<const char *>(fileKey), sizeof fileKey);
    const QByteArrayView nonceView(reinterpret_cast<const char *>(nonce), sizeof nonce);

    auto wipe = [&] { OPENSSL_cleanse(fileKey, sizeof fileKey); };
    std::vector<AgeStanza> stanzas(m_recipients.size());
    for (size_t i = 0; i < m_recipients.size(); ++i) {
        QString why;
        if (!m_recipients[i].wrap(fileKeyView, &stanzas[i], &why)) {
            wipe();
            return failEncrypt(m_recipients[i].isPassphrase() ? ExitCode::Usage : ExitCode::Integrity, why);
        }
    }
    QByteArray header = AgeHeader::encodeWithoutMac(stanzas);
    AgePrimitives::Key32 macKey{};
    unsigned char mac[32];
    const bool ok = AgePrimitives::hkdf(fileKeyView, {}, "header", macKey.data(), macKey.size()) &&
                    AgePrimitives::hmacSha256({reinterpret_cast<const char *>(macKey.data()), 32}, header, mac) &&
                    m_cipher.init(fileKeyView, nonceView, true);
    AgePrimitives::cleanse(macKey);
    wipe();
    if (!ok)
        return failEncrypt(ExitCode::Integrity, QStringLiteral("deriving the header and payload keys failed"));
    header += ' ' + AgeHeader::encodeBase64({reinterpret_cast<const char *>(mac), 32}) + '\n';
    header += nonceView;
    if (!m_next->write(header)) {
        m_done = true;
        return failFrom(*m_next);
    }
    return true;
}

bool AgeEncryptStage::sealAndForward(const unsigned char *plain, qsizetype len, bool last) {
    auto *out = reinterpret_cast<unsigned char *>(m_buf.data());
    if (!m_cipher.seal(plain, len, last, out))
        return failEncrypt(ExitCode::Integrity, QStringLiteral("ChaCha20-Poly1305 sealing failed"));
    if (!m_next->write(QByteArrayView(m_buf.constData(), len + AgeStreamCipher::kTagSize))) {
        m_done = true;
        return failFrom(*m_next);
    }
    return true;
}

bool AgeEncryptStage::write(QByteArrayView data) {
    if (m_done)
        return fail(ExitCode::Integrity, QStringLiteral("age encryption: write after finish or failure"));
    if (!m_started && !start())
        return false;
    m_plainBytes += quint64(data.size());
    constexpr qsizetype kChunk = AgeStreamCipher::kChunkSize;
    auto *buf = reinterpret_cast<unsigned char *>(m_buf.data());
    while (!data.isEmpty()) {
        // A full chunk is sealed only once more data shows it isn't the last one: the final chunk carries the
        // last-chunk flag and may be full, but never empty unless the whole stream is.
        if (m_fill == kChunk) {
            if (!sealAndForward(buf, kChunk, false))
                return false;
            m_fill = 0;
        }
        if (m_fill == 0 && data.size() > kChunk) {
            // Fast path: seal straight from the caller's buffer, skipping the copy.
            if (!sealAndForward(reinterpret_cast<const unsigned char *>(data.data()), kChunk, false))
                return false;
            data = data.sliced(kChunk);
            continue;
        }
        const qsizetype take = qMin(kChunk - m_fill, data.size());
        memcpy(buf + m_fill, data.data(), size_t(take));
        m_fill += take;
        data = data.sliced(take);
    }
    return true;
}

bool AgeEncryptStage::finish() {
    if (m_done)
        return fail(ExitCode::Integrity, QStringLiteral("age encryption: finish after finish or failure"));
    if (!m_started && !start())
        return false;
    if (!sealAndForward(reinterpret_cast<const unsigned char *>(m_buf.constData()), m_fill, true))
        return false;
    m_fill = 0;
    m_done = true;
    AgePrimitives::cleanse(m_buf);
    if (!m_next->finish())
        return failFrom(*m_next);
    return true;
}

void AgeEncryptStage::abort() {
    m_done = true;
    AgePrimitives::cleanse(m_buf);
    m_next->abort();
}

} // namespace lifeboat
