#pragma once

#include <QByteArrayView>
#include <QDateTime>
#include <QString>

namespace lifeboat {

// What the first bytes of a backup file say about it, read without any PostgreSQL tool: a pg_dump custom archive
// (or the toc.dat of a directory/tar archive) starts with "PGDMP" and the archive format version; plain SQL is
// text; .sql.gz is gzip; tar archives carry "ustar" at offset 257; age files start with their version line.
//
// Why hand-read the header: pg_restore answers a newer archive with "unsupported version (1.15) in file header",
// which names no PostgreSQL release. The header's format version maps to the pg_dump release that introduced it,
// so Lifeboat can say "archive made by pg_dump 16 — install PostgreSQL 16 client tools" instead.
//
// Custom-format header layout (pg_backup_archiver.c, WriteHead/ReadHead):
//   "PGDMP" vmaj vmin vrev intSize offSize format
//   [>= 1.15: compression algorithm byte | >= 1.4: compression int]
//   [>= 1.4: 7 ints of creation time (sec min hour mday mon year isdst); dbname str]
//   [>= 1.10: server version str; pg_dump version str]
// where an int is a sign byte then intSize bytes little-endian, and a str is an int length then that many bytes.
struct ArchiveHeader {
    enum class Kind {
        Unknown,   // not something Lifeboat can restore
        Custom,    // PGDMP, format byte 1 (pg_dump -Fc)
        TocFile,   // PGDMP with format 3/5: the toc.dat inside a tar or directory archive
        Tar,       // a tar stream: pg_dump -Ft, or Lifeboat's pax tar of a directory-format dump
        PlainSql,  // text SQL (pg_dump -Fp)
        Gzip,      // gzip-compressed; after decompression usually PlainSql
        Age,       // age-encrypted (binary)
        AgeArmored // age-encrypted, ASCII armored
    };
    enum Format { FormatUnknown = 0, FormatCustom = 1, FormatTar = 3, FormatNull = 4, FormatDirectory = 5 };

    Kind kind = Kind::Unknown;
    int versionMajor = 0; // archive format version, e.g. 1.14
    int versionMinor = 0;
    int versionRev = 0;
    int intSize = 0;
    int offSize = 0;
    int format = FormatUnknown;
    int compression = -1; // gzip level (< 1.15) or algorithm (>= 1.15); -1 unknown
    QDateTime created;    // local time of the dumping machine as pg_dump wrote it
    QString database;
    QString serverVersion;  // "15.4"
    QString dumpVersion;    // "15.4 (Debian …)"
    bool complete = false;  // every field the version promises was present
    QString tarFirstMember; // Tar: the first member's name

    static ArchiveHeader parse(QByteArrayView head);

    bool isPgArchive() const { return kind == Kind::Custom || kind == Kind::TocFile; }
    // 0x010E for 1.14: comparable.
    int archiveVersion() const { return (versionMajor << 16) | (versionMinor << 8) | versionRev; }
    QString versionString() const { return QStringLiteral("%1.%2").arg(versionMajor).arg(versionMinor); }
    QString kindName() const;

    // The first pg_dump major release that writes archive version 1.minor (0 when unknown or older than 9.0).
    static int pgDumpMajorForArchive(int vmaj, int vmin);
    // The newest archive minor version (1.x) that pg_restore of this major reads.
    static int maxArchiveMinorForClient(int clientMajor);
    // The major of pg_dump that made this archive: from its version string when present and readable, else from
    // the archive version. 0 when unknown.
    int dumpMajor() const;
    // Empty when pg_restore `clientMajor` can read this archive; otherwise the operator's message.
    QString clientMismatch(int clientMajor) const;
};

} // namespace lifeboat
