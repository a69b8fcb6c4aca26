#include "pipeline/TeeSink.h"

namespace lifeboat {

TeeSink::TeeSink(std::vector<ByteSink *> sinks)
    : m_sinks(std::move(sinks)) {}

bool TeeSink::write(QByteArrayView data) {
    for (ByteSink *s : m_sinks) {
        if (!s->write(data))
            return failFrom(*s);
    }
    return true;
}

bool TeeSink::finish() {
    for (ByteSink *s : m_sinks) {
        if (!s->finish())
            return failFrom(*s);
    }
    return true;
}

void TeeSink::abort() {
    for (ByteSink *s : m_sinks)
        s->abort();
}

} // namespace lifeboat
