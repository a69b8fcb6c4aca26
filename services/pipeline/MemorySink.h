#pragma once

#include "pipeline/ByteSink.h"

#include <QByteArray>

namespace lifeboat {

// Collects the stream in memory: for small payloads (manifests, reports) and tests.
class MemorySink : public ByteSink {
public:
    bool write(QByteArrayView data) override {
        m_data.append(data.data(), data.size());
        return true;
    }
    bool finish() override {
        m_finished = true;
        return true;
    }
    void abort() override { m_data.clear(); }

    const QByteArray &data() const { return m_data; }
    bool finished() const { return m_finished; }

private:
    QByteArray m_data;
    bool m_finished = false;
};

} // namespace lifeboat
