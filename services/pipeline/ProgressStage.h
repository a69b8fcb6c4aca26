#pragma once

#include "pipeline/ByteSink.h"

#include <functional>

namespace lifeboat {

// Forwards bytes unchanged and reports the running total, so long transfers can show progress wherever the
// stage sits in a pipeline.
class ProgressStage : public ByteSink {
public:
    using Callback = std::function<void(qint64 totalBytes)>;
    ProgressStage(ByteSink *next, Callback cb)
        : m_next(next)
        , m_cb(std::move(cb)) {}

    bool write(QByteArrayView data) override {
        if (!m_next->write(data))
            return failFrom(*m_next);
        m_total += data.size();
        if (m_cb)
            m_cb(m_total);
        return true;
    }
    bool finish() override { return m_next->finish() || failFrom(*m_next); }
    void abort() override { m_next->abort(); }
    qint64 total() const { return m_total; }

private:
    ByteSink *m_next;
    Callback m_cb;
    qint64 m_total = 0;
};

} // namespace lifeboat
