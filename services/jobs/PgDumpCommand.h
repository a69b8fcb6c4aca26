#pragma once

#include "core/ExitCode.h"
#include "jobs/BackupOptions.h"
#include "pg/PgVersion.h"

#include <QString>
#include <QStringList>

namespace lifeboat {

// Turns BackupOptions into pg_dump arguments and the artifact's file extension. Pure, so the rules (quoting,
// strict names, what compression a pg_dump version supports) are unit-tested. The connection string passed with
// -d never contains a password.
class PgDumpCommand {
public:
    struct Plan {
        QStringList args;
        QString extension;          // dump[.zst] | sql[.gz|.zst] | tar[.zst]
        QString compression;        // normalised, for the manifest: zstd:L | none | gzip:L | pg:gzip:L | pg:zstd…
        bool gzipInProcess = false; // plain + gzip: compressed by Lifeboat (zlib), not pg_dump
        int gzipLevel = 6;
        // zstd (the default): pg_dump writes uncompressed and Lifeboat compresses the whole stream with libzstd,
        // so the artifact is a zstd frame around an ordinary archive/script/tar (`zstd -d` gives it back).
        bool zstdInProcess = false;
        int zstdLevel = kDefaultZstdLevel;
        int zstdThreads = kDefaultZstdThreads;
        bool toStdout = true; // directory format writes into outputDir instead
    };

    // Chosen by measurement on a 2-core machine (docs/performance.md): pg_dump and the server need CPU too.
    static constexpr int kDefaultZstdLevel = 1;
    static constexpr int kDefaultZstdThreads = 1;

    // conninfo: key=value string without password. outputDir: used for the directory format.
    static Plan build(const BackupOptions &opt, const PgVersion &pgDump, const QString &conninfo,
                      const QString &snapshot, const QString &outputDir, Error *error);

    // "schema.table" → "\"schema\".\"table\"", "table" → "\"table\"": a pg_dump pattern that matches exactly
    // that name (no wildcards, case kept).
    static QString exactPattern(const QString &name);
    // Splits "schema.table" into unquoted parts (schema optional; quotes allowed: "My Schema"."T.1").
    static QPair<QString, QString> splitQualified(const QString &name);
};

} // namespace lifeboat
