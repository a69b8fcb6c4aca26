#include "pipeline/ZstdStage.h"

#include <zstd.h>

#include <QByteArray>

namespace lifeboat {

struct ZstdStage::State {
    ZSTD_CCtx *ctx = nullptr;
    QByteArray out = QByteArray(static_cast<qsizetype>(ZSTD_CStreamOutSize()), Qt::Uninitialized);
    bool finished = false;
};

ZstdStage::ZstdStage(ByteSink *next, int level, int threads)
    : m_state(std::make_unique<State>())
    , m_next(next) {
    m_state->ctx = ZSTD_createCCtx();
    if (m_state->ctx) {
        ZSTD_CCtx_setParameter(m_state->ctx, ZSTD_c_compressionLevel, level);
        ZSTD_CCtx_setParameter(m_state->ctx, ZSTD_c_checksumFlag, 1);
        if (threads > 0)
            ZSTD_CCtx_setParameter(m_state->ctx, ZSTD_c_nbWorkers, threads); // ignored by single-threaded builds
    }
}

ZstdStage::~ZstdStage() {
    ZSTD_freeCCtx(m_state->ctx);
}

bool ZstdStage::write(QByteArrayView data) {
    if (!m_state->ctx)
        return fail(ExitCode::Transfer, QStringLiteral("zstd: cannot create a compression context"));
    ZSTD_inBuffer in{data.data(), static_cast<size_t>(data.size()), 0};
    while (in.pos < in.size) {
        ZSTD_outBuffer out{m_state->out.data(), static_cast<size_t>(m_state->out.size()), 0};
        const size_t rc = ZSTD_compressStream2(m_state->ctx, &out, &in, ZSTD_e_continue);
        if (ZSTD_isError(rc))
            return fail(ExitCode::Transfer,
                        QStringLiteral("zstd compression failed: %1").arg(QString::fromUtf8(ZSTD_getErrorName(rc))));
        if (out.pos > 0 && !m_next->write(QByteArrayView(m_state->out.constData(), qsizetype(out.pos))))
            return failFrom(*m_next);
    }
    return true;
}

bool ZstdStage::finish() {
    if (!m_state->ctx)
        return fail(ExitCode::Transfer, QStringLiteral("zstd: cannot create a compression context"));
    ZSTD_inBuffer in{nullptr, 0, 0};
    size_t remaining = 0;
    do {
        ZSTD_outBuffer out{m_state->out.data(), static_cast<size_t>(m_state->out.size()), 0};
        remaining = ZSTD_compressStream2(m_state->ctx, &out, &in, ZSTD_e_end);
        if (ZSTD_isError(remaining))
            return fail(
                ExitCode::Transfer,
                QStringLiteral("zstd compression failed: %1").arg(QString::fromUtf8(ZSTD_getErrorName(remaining))));
        if (out.pos > 0 && !m_next->write(QByteArrayView(m_state->out.constData(), qsizetype(out.pos))))
            return failFrom(*m_next);
    } while (remaining != 0);
    if (!m_next->finish())
        return failFrom(*m_next);
    return true;
}

void ZstdStage::abort() {
    m_next->abort();
}

} // namespace lifeboat
