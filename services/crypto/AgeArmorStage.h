#pragma once

#include "pipeline/ByteSink.h"

#include <QByteArray>

namespace lifeboat {

// Writes age's ASCII armor around the stream (chain it after AgeEncryptStage): "-----BEGIN AGE ENCRYPTED
// FILE-----", padded base64 in 64-column lines, "-----END AGE ENCRYPTED FILE-----". For text-only channels; backups
// themselves stay binary. AgeDecryptStage recognises and reads armor by itself.
class AgeArmorStage : public ByteSink {
public:
    explicit AgeArmorStage(ByteSink *next);

    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;

private:
    bool flushOut(bool final);

    ByteSink *m_next;
    QByteArray m_pending; // fewer than 48 bytes not yet encoded
    QByteArray m_out;
    bool m_started = false;
};

} // namespace lifeboat
