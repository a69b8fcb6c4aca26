#pragma once

#include "pipeline/ByteSink.h"
#include "pipeline/Sha256.h"

#include <memory>

namespace lifeboat {

// Hashes and counts the bytes that pass through, then forwards them unchanged.
class HashStage : public ByteSink {
public:
    // OwnThread hashes on a thread of the stage's own, fed through a small bounded queue of copies, so the caller's
    // thread (the one reading a child's pipe and compressing) only copies and forwards. The hash is still one pass
    // over exactly the bytes forwarded, in order; a slow hash throttles the caller through the bounded queue.
    enum class Threading { Inline, OwnThread };

    explicit HashStage(ByteSink *next, Threading threading = Threading::Inline);
    ~HashStage() override;

    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;

    qint64 bytes() const { return m_bytes; }
    QByteArray sha256Hex() const { return m_hex; } // valid after finish()

private:
    class Hasher;

    ByteSink *m_next;
    Sha256 m_hash;
    std::unique_ptr<Hasher> m_hasher; // OwnThread only
    qint64 m_bytes = 0;
    QByteArray m_hex;
};

} // namespace lifeboat
