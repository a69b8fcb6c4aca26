#include "pipeline/HashStage.h"

namespace lifeboat {

HashStage::HashStage(ByteSink *next)
    : m_next(next) {}

bool HashStage::write(QByteArrayView data) {
    m_hash.add(data);
    m_bytes += data.size();
    if (m_next && !m_next->write(data))
        return failFrom(*m_next);
    return true;
}

bool HashStage::finish() {
    m_hex = m_hash.finalHex();
    if (m_next && !m_next->finish())
        return failFrom(*m_next);
    return true;
}

void HashStage::abort() {
    if (m_next)
        m_next->abort();
}

} // namespace lifeboat
