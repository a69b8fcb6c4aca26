#pragma once

#include "core/ExitCode.h"

#include <QByteArrayView>

namespace lifeboat {

// One link of the streaming pipeline. Stages (hashing, compression, encryption) are sinks that forward to the
// next sink; terminal sinks write a file or upload to S3. write() may block to apply back-pressure, so pipelines
// run on a worker thread. After a failed write() or finish() the sink is unusable and error() says why; abort()
// discards everything written so far (no partial output under a final name) and must be safe to call any time.
class ByteSink {
public:
    virtual ~ByteSink() = default;

    virtual bool write(QByteArrayView data) = 0;
    virtual bool finish() = 0;
    virtual void abort() = 0;

    const Error &error() const { return m_error; }

protected:
    bool fail(ExitCode code, const QString &message) {
        if (!m_error)
            m_error = {code, message};
        return false;
    }
    // Stages adopt the error of the sink they forward to.
    bool failFrom(const ByteSink &next) { return fail(next.error().code, next.error().message); }

private:
    Error m_error;
};

} // namespace lifeboat
