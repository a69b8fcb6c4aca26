#pragma once

#include <QString>
#include <QStringList>

namespace lifeboat {

// A named Redis server to back up. The URL is kept without its password; the password lives in the credential
// store under redisPasswordKey(name). Backup sets name it in SetConfig::redis.
struct RedisSourceConfig {
    QString name;
    QString url;                                  // redis[s]://[USER@]HOST:PORT[/DB], no password
    QString compression = QStringLiteral("gzip"); // gzip | zstd | none
    QString caFile;                               // rediss://: extra CA certificates
    QString rdbPath;                              // same host: read this dump.rdb instead of SYNC
    QStringList storages;
    QStringList recipients;

    static QString passwordKey(const QString &name) { return QStringLiteral("redis/%1/password").arg(name); }
};

} // namespace lifeboat
