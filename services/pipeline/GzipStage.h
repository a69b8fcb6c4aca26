#pragma once

#include "pipeline/ByteSink.h"

#include <memory>

namespace lifeboat {

// gzip (RFC 1952) compression on zlib, streaming with constant memory; used for plain-format SQL dumps.
class GzipStage : public ByteSink {
public:
    GzipStage(ByteSink *next, int level = 6);
    ~GzipStage() override;

    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;

private:
    bool pump(int flush);

    struct State;
    std::unique_ptr<State> m_state;
    ByteSink *m_next;
};

} // namespace lifeboat
