#include "restore/ArchiveHeader.h"

#include "pg/PgVersion.h"

namespace lifeboat {

namespace {
// A cursor over the header bytes; every read reports whether the bytes were there.
class Reader {
public:
    explicit Reader(QByteArrayView d)
        : m_d(d) {}
    bool byte(int *out) {
        if (m_pos >= m_d.size())
            return false;
        *out = static_cast<unsigned char>(m_d[m_pos++]);
        return true;
    }
    bool integer(int intSize, qint64 *out) {
        int sign = 0;
        if (!byte(&sign) || m_pos + intSize > m_d.size())
            return false;
        quint64 v = 0;
        for (int i = 0; i < intSize; ++i)
            v |= quint64(static_cast<unsigned char>(m_d[m_pos + i])) << (8 * i);
        m_pos += intSize;
        *out = sign ? -qint64(v) : qint64(v);
        return true;
    }
    bool string(int intSize, QString *out) {
        qint64 len = 0;
        if (!integer(intSize, &len))
            return false;
        if (len < 0) {
            out->clear();
            return true;
        }
        if (len > 4096 || m_pos + len > m_d.size())
            return false;
        *out = QString::fromUtf8(m_d.data() + m_pos, len);
        m_pos += len;
        return true;
    }

private:
    QByteArrayView m_d;
    qsizetype m_pos = 0;
};

bool looksLikeText(QByteArrayView d) {
    const qsizetype n = qMin<qsizetype>(d.size(), 4096);
    if (n == 0)
        return false;
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(d[i]);
        if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t'))
            return false;
    }
    return true;
}
} // namespace

QString ArchiveHeader::kindName() const {
    switch (kind) {
    case Kind::Custom:
        return QStringLiteral("pg_dump custom archive");
    case Kind::TocFile:
        return QStringLiteral("pg_dump archive table of contents");
    case Kind::Tar:
        return QStringLiteral("tar archive");
    case Kind::PlainSql:
        return QStringLiteral("plain SQL");
    case Kind::Gzip:
        return QStringLiteral("gzip-compressed file");
    case Kind::Age:
    case Kind::AgeArmored:
        return QStringLiteral("age-encrypted file");
    case Kind::Unknown:
        break;
    }
    return QStringLiteral("unrecognised file");
}

ArchiveHeader ArchiveHeader::parse(QByteArrayView head) {
    ArchiveHeader h;
    if (head.startsWith(QByteArrayView("age-encryption.org/v1\n"))) {
        h.kind = Kind::Age;
        return h;
    }
    if (head.startsWith(QByteArrayView("-----BEGIN AGE ENCRYPTED FILE-----"))) {
        h.kind = Kind::AgeArmored;
        return h;
    }
    if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
        static_cast<unsigned char>(head[1]) == 0x8b) {
        h.kind = Kind::Gzip;
        return h;
    }
    if (head.size() >= 263 && head.sliced(257, 5) == QByteArrayView("ustar")) {
        h.kind = Kind::Tar;
        h.tarFirstMember = QString::fromUtf8(head.first(100).data(), qstrnlen(head.data(), 100));
        // pg_dump -Ft puts toc.dat first; its PGDMP header follows the 512-byte tar header.
        if (h.tarFirstMember == QLatin1String("toc.dat") && head.size() > 512) {
            ArchiveHeader inner = parse(head.sliced(512));
            if (inner.isPgArchive()) {
                inner.kind = Kind::Tar;
                inner.tarFirstMember = h.tarFirstMember;
                return inner;
            }
        }
        return h;
    }
    if (!head.startsWith(QByteArrayView("PGDMP"))) {
        if (looksLikeText(head))
            h.kind = Kind::PlainSql;
        return h;
    }

    Reader r(head.sliced(5));
    if (!r.byte(&h.versionMajor) || !r.byte(&h.versionMinor))
        return h;
    if (h.versionMajor > 1 || (h.versionMajor == 1 && h.versionMinor > 0)) {
        if (!r.byte(&h.versionRev))
            return h;
    }
    int b = 0;
    if (!r.byte(&h.intSize))
        return h;
    h.offSize = h.intSize;
    if (h.versionMajor > 1 || h.versionMinor >= 7) {
        if (!r.byte(&h.offSize))
            return h;
    }
    if (!r.byte(&h.format))
        return h;
    h.kind = h.format == FormatCustom ? Kind::Custom : Kind::TocFile;
    // Past here the layout depends on the version; a version newer than we know may have changed it.
    if (h.versionMajor != 1 || h.versionMinor > 16 || h.intSize < 1 || h.intSize > 8)
        return h;
    qint64 v = 0;
    if (h.versionMinor >= 15) {
        if (!r.byte(&b))
            return h;
        h.compression = b;
    } else if (h.versionMinor >= 4) {
        if (!r.integer(h.intSize, &v))
            return h;
        h.compression = int(v);
    } else if (h.versionMinor >= 2) {
        if (!r.byte(&b))
            return h;
        h.compression = b;
    }
    if (h.versionMinor >= 4) {
        qint64 tm[7] = {};
        for (qint64 &x : tm) {
            if (!r.integer(h.intSize, &x))
                return h;
        }
        h.created =
            QDateTime(QDate(int(tm[5]) + 1900, int(tm[4]) + 1, int(tm[3])), QTime(int(tm[2]), int(tm[1]), int(tm[0])));
        if (!r.string(h.intSize, &h.database))
            return h;
    }
    if (h.versionMinor >= 10) {
        if (!r.string(h.intSize, &h.serverVersion) || !r.string(h.intSize, &h.dumpVersion))
            return h;
    }
    h.complete = true;
    return h;
}

int ArchiveHeader::pgDumpMajorForArchive(int vmaj, int vmin) {
    if (vmaj != 1)
        return vmaj > 1 ? 99 : 0;
    if (vmin >= 17)
        return 18; // not yet known to Lifeboat: "18 or later"
    if (vmin == 16)
        return 17;
    if (vmin == 15)
        return 16;
    if (vmin == 14)
        return 14;
    if (vmin == 13)
        return 10; // back-patched into 9.3+ in 2018 with the search_path fix
    if (vmin == 12)
        return 9;
    return 0;
}

int ArchiveHeader::maxArchiveMinorForClient(int clientMajor) {
    if (clientMajor >= 18)
        return 17;
    if (clientMajor == 17)
        return 16;
    if (clientMajor == 16)
        return 15;
    if (clientMajor >= 14)
        return 14;
    if (clientMajor >= 10)
        return 13;
    return 12;
}

int ArchiveHeader::dumpMajor() const {
    const PgVersion v = PgVersion::fromVersionOutput(dumpVersion);
    if (complete && v.isValid())
        return v.major;
    return pgDumpMajorForArchive(versionMajor, versionMinor);
}

QString ArchiveHeader::clientMismatch(int clientMajor) const {
    if (!isPgArchive() && kind != Kind::Tar)
        return {};
    if (versionMajor == 0)
        return {};
    if (versionMajor == 1 && versionMinor <= maxArchiveMinorForClient(clientMajor))
        return {};
    const int n = pgDumpMajorForArchive(versionMajor, versionMinor);
    if (n >= 18 || versionMajor != 1)
        return QStringLiteral("archive made by a pg_dump newer than PostgreSQL 17 (archive format %1, which "
                              "pg_restore %2 cannot read) — install the PostgreSQL client tools of that release")
            .arg(versionString())
            .arg(clientMajor);
    return QStringLiteral("archive made by pg_dump %1 — install PostgreSQL %1 client tools (pg_restore %2 reads "
                          "archive format up to 1.%3, this archive is %4)")
        .arg(n)
        .arg(clientMajor)
        .arg(maxArchiveMinorForClient(clientMajor))
        .arg(versionString());
}

} // namespace lifeboat
