#pragma once

#include "pipeline/ByteSink.h"
#include "pipeline/Sha256.h"

namespace lifeboat {

// Hashes and counts the bytes that pass through, then forwards them unchanged.
class HashStage : public ByteSink {
public:
    explicit HashStage(ByteSink *next);

    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;

    qint64 bytes() const { return m_bytes; }
    QByteArray sha256Hex() const { return m_hex; } // valid after finish()

private:
    ByteSink *m_next;
    Sha256 m_hash;
    qint64 m_bytes = 0;
    QByteArray m_hex;
};

} // namespace lifeboat
