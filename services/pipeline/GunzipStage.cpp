#include "pipeline/GunzipStage.h"

#include <zlib.h>

#include <QByteArray>

namespace lifeboat {

struct GunzipStage::State {
    z_stream zs{};
    QByteArray out = QByteArray(256 * 1024, Qt::Uninitialized);
    bool open = false;
    bool ended = false;
};

GunzipStage::GunzipStage(ByteSink *next)
    : m_state(std::make_unique<State>())
    , m_next(next) {
    m_state->open = inflateInit2(&m_state->zs, 15 + 16) == Z_OK;
}

GunzipStage::~GunzipStage() {
    if (m_state->open)
        inflateEnd(&m_state->zs);
}

bool GunzipStage::write(QByteArrayView data) {
    z_stream &zs = m_state->zs;
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    while (zs.avail_in > 0) {
        if (m_state->ended)
            return fail(ExitCode::Integrity, QStringLiteral("gzip: trailing data after the end of the stream"));
        zs.next_out = reinterpret_cast<Bytef *>(m_state->out.data());
        zs.avail_out = static_cast<uInt>(m_state->out.size());
        const int rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            return fail(ExitCode::Integrity,
                        QStringLiteral("gzip: corrupt data (%1)").arg(QString::fromLatin1(zs.msg ? zs.msg : "")));
        m_state->ended = rc == Z_STREAM_END;
        const auto produced = m_state->out.size() - static_cast<qsizetype>(zs.avail_out);
        if (produced > 0 && !m_next->write(QByteArrayView(m_state->out.constData(), produced)))
            return failFrom(*m_next);
        if (rc == Z_BUF_ERROR && produced == 0)
            break;
    }
    return true;
}

bool GunzipStage::finish() {
    if (!m_state->ended)
        return fail(ExitCode::Integrity, QStringLiteral("gzip: the stream is truncated"));
    if (!m_next->finish())
        return failFrom(*m_next);
    return true;
}

void GunzipStage::abort() {
    m_next->abort();
}

} // namespace lifeboat
