#pragma once

#include <QString>

namespace lifeboat {

// How to back up one Redis server; shared by the CLI, application backup sets and schedules.
struct RedisBackupOptions {
    QString setId;                           // application backup set (empty: a standalone run)
    QString type = QStringLiteral("MANUAL"); // DAILY | WEEKLY | MONTHLY | MANUAL
    QString label;
    QString compression = QStringLiteral("gzip"); // gzip | zstd | none (RDB strings are already LZF-compressed)
    int level = -1;
    QString localRdbPath; // non-empty: read this dump.rdb after BGSAVE instead of SYNC (same host only)
    QString caFile;       // rediss://: extra CA certificates (PEM)
    int saveTimeoutSec = 3600;
};

} // namespace lifeboat
