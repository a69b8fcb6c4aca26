#include "pipeline/UnzstdStage.h"

#include <zstd.h>

#include <QByteArray>

namespace lifeboat {

struct UnzstdStage::State {
    ZSTD_DCtx *ctx = nullptr;
    QByteArray out = QByteArray(static_cast<qsizetype>(ZSTD_DStreamOutSize()), Qt::Uninitialized);
    size_t lastHint = 0; // 0 after a frame ended: a stream that stops elsewhere is truncated
    bool sawInput = false;
};

UnzstdStage::UnzstdStage(ByteSink *next)
    : m_state(std::make_unique<State>())
    , m_next(next) {
    m_state->ctx = ZSTD_createDCtx();
}

UnzstdStage::~UnzstdStage() {
    ZSTD_freeDCtx(m_state->ctx);
}

bool UnzstdStage::write(QByteArrayView data) {
    if (!m_state->ctx)
        return fail(ExitCode::Integrity, QStringLiteral("zstd: cannot create a decompression context"));
    if (!data.isEmpty())
        m_state->sawInput = true;
    ZSTD_inBuffer in{data.data(), static_cast<size_t>(data.size()), 0};
    bool outputFull = false;
    // Drain until the input is consumed and zstd has no more output buffered for it.
    while (in.pos < in.size || outputFull) {
        ZSTD_outBuffer out{m_state->out.data(), static_cast<size_t>(m_state->out.size()), 0};
        const size_t rc = ZSTD_decompressStream(m_state->ctx, &out, &in);
        if (ZSTD_isError(rc))
            return fail(ExitCode::Integrity,
                        QStringLiteral("zstd: corrupt data (%1)").arg(QString::fromUtf8(ZSTD_getErrorName(rc))));
        m_state->lastHint = rc;
        // rc 0: the frame is decoded and fully flushed. Calling again without input would probe for a next frame
        // and return that frame's header hint, so a full last buffer only means "more to drain" while rc != 0.
        outputFull = out.pos == out.size && rc != 0;
        if (out.pos > 0 && !m_next->write(QByteArrayView(m_state->out.constData(), qsizetype(out.pos))))
            return failFrom(*m_next);
    }
    return true;
}

bool UnzstdStage::finish() {
    if (!m_state->sawInput || m_state->lastHint != 0)
        return fail(ExitCode::Integrity, QStringLiteral("zstd: the stream is truncated"));
    if (!m_next->finish())
        return failFrom(*m_next);
    return true;
}

void UnzstdStage::abort() {
    m_next->abort();
}

} // namespace lifeboat
