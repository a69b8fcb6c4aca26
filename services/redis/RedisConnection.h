#pragma once

#include "core/ExitCode.h"
#include "pipeline/ByteSink.h"
#include "redis/RedisUrl.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QTcpSocket;

namespace lifeboat {

// One RESP2 reply. Errors ("-ERR …") are replies, not failures: the caller decides what they mean.
struct RespValue {
    enum class Type { Simple, Error, Integer, Bulk, Array, Null };
    Type type = Type::Null;
    QByteArray text; // Simple, Error, Bulk
    qint64 integer = 0;
    QList<RespValue> elements;

    bool isError() const { return type == Type::Error; }
    QString errorText() const { return QString::fromUtf8(text); }
};

// A blocking Redis client for one worker thread: RESP2 commands, and the replica side of a full resync to fetch
// the server's RDB snapshot.
//
// Why hand-written, and why the replication protocol: Lifeboat needs only a handful of commands (AUTH, INFO,
// LASTSAVE, BGSAVE, REPLCONF, SYNC), and the snapshot must stream into the backup pipeline without a temporary
// file — exactly what `redis-cli --rdb` does. After `SYNC` the server forks, writes an RDB and sends it as one
// bulk payload, "$<length>\r\n<bytes>". (Only a replica that announces "REPLCONF capa eof" — we don't — may get the
// diskless form "$EOF:<mark>…"; not announcing it keeps one simple framing and avoids the server's
// repl-diskless-sync-delay wait.) Before the payload the server sends bare "\n" keep-alives while its fork writes.
// `REPLCONF rdb-only 1` (Redis 7+) tells the server we want the snapshot only, not the command stream that follows;
// older servers reject it and we close the link after the payload anyway. It works against a remote server and needs no
// access to its file system. It needs a user allowed to run SYNC/REPLCONF (the default user, or an ACL user with +sync
// +replconf); managed services that forbid SYNC need the local-file path instead (RedisBackupOptions::localRdbPath).
class RedisConnection {
public:
    RedisConnection();
    ~RedisConnection();

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    void setCaFile(const QString &path) { m_caFile = path; }
    void setCancelFlag(const std::atomic_bool *cancel) { m_cancel = cancel; }

    // Connects (TLS for rediss://) and authenticates with the URL's user/password. A refused password is
    // ExitCode::Usage (fix the configuration), an unreachable server ExitCode::Transfer.
    bool open(const RedisUrl &url, Error *error);
    std::optional<RespValue> command(const QList<QByteArray> &args, Error *error);
    // INFO section parsed into "key:value" pairs.
    QHash<QString, QString> info(const QString &section, Error *error);

    // Sends SYNC and streams the RDB payload into sink (not finished). Leaves the connection unusable.
    bool fetchRdb(ByteSink *sink, const std::function<void(qint64 done, qint64 total)> &progress, Error *error);

private:
    bool waitRead(Error *error);
    bool readLine(QByteArray *line, Error *error);
    bool readExact(qsizetype n, QByteArray *out, Error *error);
    std::optional<RespValue> readReply(Error *error, int depth = 0);
    bool failIo(Error *error, const QString &what);

    std::unique_ptr<QTcpSocket> m_socket;
    QString m_peer;
    QString m_caFile;
    int m_timeoutMs = 30000;
    const std::atomic_bool *m_cancel = nullptr;
};

} // namespace lifeboat
