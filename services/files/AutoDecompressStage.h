#pragma once

#include "pipeline/ByteSink.h"

#include <QByteArray>

#include <memory>

namespace lifeboat {

// Decompresses a file backup by what its first bytes say — gzip (1f 8b), zstd (28 b5 2f fd) or neither (a plain
// tar) — so a restore needs no extension or catalog hint, and so every byte is checked by our own stages: gzip's
// CRC-32 and zstd's content checksum are verified at the end of the stream, which libarchive's tar reader (it stops
// at the end-of-archive blocks) would not do.
class AutoDecompressStage : public ByteSink {
public:
    explicit AutoDecompressStage(ByteSink *next);
    ~AutoDecompressStage() override;

    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;

    QString detected() const { return m_detected; } // gzip | zstd | none (after the first bytes)

private:
    bool start();

    ByteSink *m_next;
    std::unique_ptr<ByteSink> m_decoder;
    ByteSink *m_head = nullptr;
    QByteArray m_prefix;
    QString m_detected;
};

} // namespace lifeboat
