#pragma once

#include "catalog/Catalog.h"
#include "crypto/AgeRecipient.h"
#include "jobs/BackupStore.h"
#include "jobs/Job.h"
#include "redis/RedisBackupOptions.h"
#include "redis/RedisUrl.h"

#include <memory>
#include <vector>

namespace lifeboat {

class RedisConnection;

// Backs up a Redis server as its RDB snapshot: BGSAVE, wait until INFO persistence reports it done (and ok), then
// fetch a snapshot over the replication protocol (RedisConnection::fetchRdb, as `redis-cli --rdb` does) — or read
// the just-written dump.rdb when localRdbPath is given — and stream it through [gzip|zstd] → SHA-256 → [age] → the
// stores, with a manifest and one catalog record of kind "redis".
//
// Why both BGSAVE and SYNC: BGSAVE refreshes the server's own dump.rdb (the restore point on its host) and proves
// that persistence works (rdb_last_bgsave_status:ok) before we claim a backup; SYNC then gives us a consistent
// snapshot wherever Lifeboat runs, without file-system access to the server. The stored copy is the snapshot the
// server forked for SYNC, a moment after the BGSAVE.
class RedisBackupJob : public Job {
    Q_OBJECT
public:
    struct Request {
        QString sourceName;
        RedisUrl url; // with the password (never printed)
        RedisBackupOptions options;
        std::vector<std::unique_ptr<BackupStore>> stores;
        std::shared_ptr<Catalog> catalog;
        std::vector<AgeRecipient> encryptTo;
    };

    explicit RedisBackupJob(Request request, QObject *parent = nullptr);
    ~RedisBackupJob() override;

    QString title() const override;

protected:
    JobResult execute() override;

private:
    bool triggerSave(RedisConnection &conn, Error *error);
    JobResult failBeforeRecord(const Error &e);
    BackupRecord attemptRecord() const; // what is known of this attempt before its record exists

    Request m_req;
    QDateTime m_started;
};

} // namespace lifeboat
