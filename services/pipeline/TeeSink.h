#pragma once

#include "pipeline/ByteSink.h"

#include <vector>

namespace lifeboat {

// Fans one stream out to several sinks (local disk and S3 in the same pass). Any sink's failure fails the tee,
// and abort() reaches every sink.
class TeeSink : public ByteSink {
public:
    explicit TeeSink(std::vector<ByteSink *> sinks);

    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;

private:
    std::vector<ByteSink *> m_sinks;
};

} // namespace lifeboat
