#include "pitr/BaseBackupTarTap.h"

namespace lifeboat {

namespace {
constexpr int kBlock = 512;
// A backup_manifest lists every file of the cluster (about 200 bytes each): 256 MiB is millions of files.
constexpr qint64 kMaxCapture = 256LL * 1024 * 1024;
} // namespace

BaseBackupTarTap::BaseBackupTarTap(ByteSink *next)
    : m_next(next) {}

qint64 BaseBackupTarTap::parseSize(const char *field, int length, bool *ok) {
    *ok = false;
    const auto *u = reinterpret_cast<const unsigned char *>(field);
    if (u[0] & 0x80) { // base-256, as PostgreSQL's print_tar_number writes sizes of 8 GiB and more
        quint64 v = u[0] & 0x7F;
        for (int i = 1; i < length; ++i) {
            if (v >> 55)
                return -1;
            v = (v << 8) | u[i];
        }
        *ok = true;
        return qint64(v);
    }
    qint64 v = 0;
    int i = 0;
    while (i < length && (field[i] == ' ' || field[i] == '\0'))
        ++i;
    bool digits = false;
    for (; i < length && field[i] >= '0' && field[i] <= '7'; ++i) {
        v = v * 8 + (field[i] - '0');
        digits = true;
    }
    *ok = digits;
    return v;
}

bool BaseBackupTarTap::header(const QByteArray &block) {
    if (block.count('\0') == kBlock) {
        ++m_zeroBlocks;
        return true;
    }
    if (m_zeroBlocks > 0)
        return fail(ExitCode::PgTool, QStringLiteral("pg_basebackup's tar stream has data after its end marker"));
    bool ok = false;
    const qint64 size = parseSize(block.constData() + 124, 12, &ok);
    if (!ok || size < 0)
        return fail(ExitCode::PgTool,
                    QStringLiteral("pg_basebackup's output is not a tar stream (member %1)").arg(m_members + 1));
    QByteArray name = block.left(100);
    name.truncate(name.indexOf('\0') < 0 ? name.size() : name.indexOf('\0'));
    if (block.mid(257, 5) == "ustar") {
        QByteArray prefix = block.mid(345, 155);
        prefix.truncate(prefix.indexOf('\0') < 0 ? prefix.size() : prefix.indexOf('\0'));
        if (!prefix.isEmpty())
            name = prefix + '/' + name;
    }
    const char type = block.at(156);
    ++m_members;
    m_capture = nullptr;
    if ((type == '0' || type == '\0') && (name == "backup_label" || name == "backup_manifest")) {
        if (size > kMaxCapture)
            return fail(ExitCode::PgTool, QStringLiteral("the stream's %1 is larger than %2 bytes")
                                              .arg(QString::fromLatin1(name))
                                              .arg(kMaxCapture));
        m_capture = name == "backup_label" ? &m_label : &m_manifest;
        m_capture->clear();
        m_capture->reserve(size);
        m_captureLeft = size;
    }
    m_skip = (size + kBlock - 1) / kBlock * kBlock;
    return true;
}

bool BaseBackupTarTap::write(QByteArrayView data) {
    if (m_broken)
        return false;
    if (!m_next->write(data))
        return failFrom(*m_next);
    while (!data.isEmpty()) {
        if (m_skip > 0) {
            const qint64 n = qMin<qint64>(m_skip, data.size());
            if (m_capture && m_captureLeft > 0) {
                const qint64 c = qMin(n, m_captureLeft);
                m_capture->append(data.first(c).toByteArray());
                m_captureLeft -= c;
            }
            m_skip -= n;
            data = data.sliced(n);
            continue;
        }
        const qsizetype need = kBlock - m_block.size();
        const qsizetype take = qMin(need, data.size());
        m_block.append(data.first(take).toByteArray());
        data = data.sliced(take);
        if (m_block.size() == kBlock) {
            const QByteArray block = m_block;
            m_block.clear();
            if (!header(block)) {
                m_broken = true;
                return false;
            }
        }
    }
    return true;
}

bool BaseBackupTarTap::finish() {
    return complete() && (m_next->finish() || failFrom(*m_next));
}

bool BaseBackupTarTap::complete() {
    if (m_broken)
        return false;
    if (m_skip > 0 || !m_block.isEmpty() || m_zeroBlocks < 2)
        return fail(ExitCode::PgTool, QStringLiteral("pg_basebackup's tar stream ended early (no end marker)"));
    if (m_label.isEmpty())
        return fail(ExitCode::PgTool, QStringLiteral("pg_basebackup's stream holds no backup_label"));
    if (m_manifest.isEmpty())
        return fail(ExitCode::PgTool, QStringLiteral("pg_basebackup's stream holds no backup_manifest (PostgreSQL 13 "
                                                     "or later writes one)"));
    return true;
}

void BaseBackupTarTap::abort() {
    m_next->abort();
}

} // namespace lifeboat
