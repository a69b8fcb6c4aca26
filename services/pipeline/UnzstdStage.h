#pragma once

#include "pipeline/ByteSink.h"

#include <memory>

namespace lifeboat {

// Zstandard decompression, the inverse of ZstdStage: a truncated or corrupt frame is an integrity failure.
class UnzstdStage : public ByteSink {
public:
    explicit UnzstdStage(ByteSink *next);
    ~UnzstdStage() override;

    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;

private:
    struct State;
    std::unique_ptr<State> m_state;
    ByteSink *m_next;
};

} // namespace lifeboat
