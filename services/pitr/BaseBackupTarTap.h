#pragma once

#include "pipeline/ByteSink.h"

#include <QByteArray>
#include <QStringList>

namespace lifeboat {

// Forwards pg_basebackup's tar stream unchanged and reads it on the way: the ustar member headers are followed so
// that the server's backup_label and backup_manifest (which pg_basebackup injects into the stream when it writes
// to stdout) are captured, without a second pass over the artifact. finish() refuses a stream that ends without
// both, or without the tar end marker: such an artifact could not be restored.
class BaseBackupTarTap : public ByteSink {
public:
    explicit BaseBackupTarTap(ByteSink *next);

    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;
    // finish()'s checks without finishing the next sink (its owner finishes it).
    bool complete();

    QByteArray backupLabel() const { return m_label; }
    QByteArray backupManifest() const { return m_manifest; }
    qint64 members() const { return m_members; }

    // The size field of a ustar header: octal text, or base-256 (high bit set) for large members.
    static qint64 parseSize(const char *field, int length, bool *ok);

private:
    bool header(const QByteArray &block);

    ByteSink *m_next;
    QByteArray m_block; // the header being assembled
    qint64 m_skip = 0;  // content + padding of the current member still to pass
    qint64 m_captureLeft = 0;
    QByteArray *m_capture = nullptr;
    QByteArray m_label;
    QByteArray m_manifest;
    qint64 m_members = 0;
    int m_zeroBlocks = 0;
    bool m_broken = false;
};

} // namespace lifeboat
