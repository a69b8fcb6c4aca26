#pragma once

#include "crypto/AgeRecipient.h"
#include "crypto/AgeStreamCipher.h"
#include "pipeline/ByteSink.h"

#include <QByteArray>

#include <vector>

namespace lifeboat {

// Encrypts the stream into an age v1 file for one or more recipients and forwards the ciphertext. The header is
// written on the first write() or on finish() (so an empty plaintext still yields a valid file); after that memory
// use is one 64 KiB chunk whatever the stream size. Files it writes decrypt with stock age.
class AgeEncryptStage : public ByteSink {
public:
    AgeEncryptStage(std::vector<AgeRecipient> recipients, ByteSink *next);
    ~AgeEncryptStage() override;

    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;

    quint64 plaintextBytes() const { return m_plainBytes; }
    // Public descriptions of the recipients ("age1…" or "scrypt"), e.g. for the manifest.
    QStringList recipientStrings() const;

private:
    bool start();
    bool sealAndForward(const unsigned char *plain, qsizetype len, bool last);
    bool failEncrypt(ExitCode code, const QString &message);

    std::vector<AgeRecipient> m_recipients;
    ByteSink *m_next;
    AgeStreamCipher m_cipher;
    QByteArray m_buf; // kSealedChunkSize: pending plaintext at the front, sealed in place
    qsizetype m_fill = 0;
    quint64 m_plainBytes = 0;
    bool m_started = false;
    bool m_done = false; // finished or failed: further writes are refused
};

} // namespace lifeboat
