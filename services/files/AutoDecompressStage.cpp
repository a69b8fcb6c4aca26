#include "files/AutoDecompressStage.h"

#include "pipeline/GunzipStage.h"
#include "pipeline/UnzstdStage.h"

namespace lifeboat {

AutoDecompressStage::AutoDecompressStage(ByteSink *next)
    : m_next(next) {}

AutoDecompressStage::~AutoDecompressStage() = default;

bool AutoDecompressStage::start() {
    if (m_prefix.startsWith("\x1f\x8b")) {
        m_decoder = std::make_unique<GunzipStage>(m_next);
        m_detected = QStringLiteral("gzip");
    } else if (m_prefix.startsWith("\x28\xb5\x2f\xfd")) {
        m_decoder = std::make_unique<UnzstdStage>(m_next);
        m_detected = QStringLiteral("zstd");
    } else {
        m_detected = QStringLiteral("none");
    }
    m_head = m_decoder ? m_decoder.get() : m_next;
    const QByteArray pending = std::exchange(m_prefix, QByteArray());
    if (!pending.isEmpty() && !m_head->write(pending))
        return failFrom(*m_head);
    return true;
}

bool AutoDecompressStage::write(QByteArrayView data) {
    if (!m_head) {
        m_prefix.append(data.data(), data.size());
        if (m_prefix.size() < 4)
            return true;
        return start();
    }
    return m_head->write(data) || failFrom(*m_head);
}

bool AutoDecompressStage::finish() {
    if (!m_head && !start())
        return false;
    return m_head->finish() || failFrom(*m_head);
}

void AutoDecompressStage::abort() {
    m_next->abort();
}

} // namespace lifeboat
