#pragma once

#include "pipeline/ByteSink.h"

#include <memory>

namespace lifeboat {

// gzip decompression: restoring .sql.gz dumps, and tests.
class GunzipStage : public ByteSink {
public:
    explicit GunzipStage(ByteSink *next);
    ~GunzipStage() override;

    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;

private:
    struct State;
    std::unique_ptr<State> m_state;
    ByteSink *m_next;
};

} // namespace lifeboat
