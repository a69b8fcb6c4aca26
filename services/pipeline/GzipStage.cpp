#include "pipeline/GzipStage.h"

#include <zlib.h>

#include <QByteArray>

namespace lifeboat {

struct GzipStage::State {
    z_stream zs{};
    QByteArray out = QByteArray(256 * 1024, Qt::Uninitialized);
    bool open = false;
};

GzipStage::GzipStage(ByteSink *next, int level)
    : m_state(std::make_unique<State>())
    , m_next(next) {
    // windowBits 15 + 16 selects the gzip wrapper.
    m_state->open = deflateInit2(&m_state->zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
}

GzipStage::~GzipStage() {
    if (m_state->open)
        deflateEnd(&m_state->zs);
}

bool GzipStage::pump(int flush) {
    z_stream &zs = m_state->zs;
    int rc = Z_OK;
    do {
        zs.next_out = reinterpret_cast<Bytef *>(m_state->out.data());
        zs.avail_out = static_cast<uInt>(m_state->out.size());
        rc = deflate(&zs, flush);
        if (rc == Z_STREAM_ERROR)
            return fail(ExitCode::PgTool, QStringLiteral("gzip compression failed"));
        const auto produced = m_state->out.size() - static_cast<qsizetype>(zs.avail_out);
        if (produced > 0 && !m_next->write(QByteArrayView(m_state->out.constData(), produced)))
            return failFrom(*m_next);
    } while (zs.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    return true;
}

bool GzipStage::write(QByteArrayView data) {
    if (!m_state->open)
        return fail(ExitCode::PgTool, QStringLiteral("gzip: zlib did not initialise"));
    m_state->zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    m_state->zs.avail_in = static_cast<uInt>(data.size());
    return pump(Z_NO_FLUSH);
}

bool GzipStage::finish() {
    if (!m_state->open)
        return fail(ExitCode::PgTool, QStringLiteral("gzip: zlib did not initialise"));
    m_state->zs.next_in = nullptr;
    m_state->zs.avail_in = 0;
    if (!pump(Z_FINISH))
        return false;
    if (!m_next->finish())
        return failFrom(*m_next);
    return true;
}

void GzipStage::abort() {
    m_next->abort();
}

} // namespace lifeboat
