#include "crypto/AgeArmorStage.h"

#include "crypto/AgeArmorDecoder.h"

namespace lifeboat {

namespace {
constexpr qsizetype kBytesPerLine = 48; // 64 base64 columns
}

AgeArmorStage::AgeArmorStage(ByteSink *next)
    : m_next(next) {}

bool AgeArmorStage::flushOut(bool final) {
    if (!m_started) {
        m_out.prepend(AgeArmorDecoder::kBegin.toByteArray() + '\n');
        m_started = true;
    }
    if (final) {
        if (!m_pending.isEmpty()) {
            m_out += m_pending.toBase64();
            m_out += '\n';
            m_pending.clear();
        }
        m_out += AgeArmorDecoder::kEnd;
        m_out += '\n';
    }
    if (!m_out.isEmpty() && !m_next->write(m_out))
        return failFrom(*m_next);
    m_out.clear();
    return true;
}

bool AgeArmorStage::write(QByteArrayView data) {
    // Encode whole 48-byte groups into 64-column lines; keep the remainder for the next write or finish().
    while (!data.isEmpty()) {
        if (m_pending.isEmpty() && data.size() >= kBytesPerLine) {
            const qsizetype whole = data.size() / kBytesPerLine * kBytesPerLine;
            const QByteArray b64 = data.first(whole).toByteArray().toBase64();
            for (qsizetype i = 0; i < b64.size(); i += 64) {
                m_out += QByteArrayView(b64).sliced(i, 64);
                m_out += '\n';
            }
            data = data.sliced(whole);
            continue;
        }
        const qsizetype take = qMin(kBytesPerLine - m_pending.size(), data.size());
        m_pending += data.first(take);
        data = data.sliced(take);
        if (m_pending.size() == kBytesPerLine) {
            m_out += m_pending.toBase64();
            m_out += '\n';
            m_pending.clear();
        }
    }
    return flushOut(false);
}

bool AgeArmorStage::finish() {
    if (!flushOut(true))
        return false;
    if (!m_next->finish())
        return failFrom(*m_next);
    return true;
}

void AgeArmorStage::abort() {
    m_next->abort();
}

} // namespace lifeboat
