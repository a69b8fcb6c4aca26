#pragma once

#include "catalog/Catalog.h"
#include "catalog/Manifest.h"
#include "catalog/Profile.h"
#include "crypto/AgeRecipient.h"
#include "jobs/BackupOptions.h"
#include "jobs/BackupStore.h"
#include "jobs/Job.h"
#include "pg/PgSession.h"

#include <memory>
#include <vector>

namespace lifeboat {

// Dumps one PostgreSQL database in a single pass: pg_dump → [gzip] → SHA-256 (plain) → [age] → SHA-256 (stored)
// → every store at once, then the manifest beside each copy and a COMPLETED catalog record. Row counts come from
// the same snapshot pg_dump uses, so the manifest's counts are exactly what the artifact holds.
class BackupJob : public Job {
    Q_OBJECT
public:
    struct Request {
        Profile profile;
        QString password; // empty: libpq's own sources (~/.pgpass, service file); PGPASSWORD is moved to a file
        BackupOptions options;
        std::vector<std::unique_ptr<BackupStore>> stores;
        std::shared_ptr<Catalog> catalog;
        QString pgToolDir;
        QString workDir;                     // scratch space for the directory format
        std::vector<AgeRecipient> encryptTo; // age recipients (X25519 and/or one passphrase); empty: plain
        bool checkFreeSpace = true;
    };

    explicit BackupJob(Request request, QObject *parent = nullptr);
    ~BackupJob() override;

    QString title() const override;

protected:
    JobResult execute() override;

private:
    struct Prepared;
    JobResult failBeforeRecord(const Error &e);
    JobResult finishRecord(BackupRecord &record, const Error &e, const QList<BackupStore *> &stores);
    bool resolveTables(PgSession &session, QList<PgSession::TableInfo> &tables, Error &error);
    void onDumpLine(const QString &line);
    // The server's roles (profile --globals): pg_dumpall --globals-only, encrypted like the artifact, stored beside
    // it on every store. A failure fails the backup.
    bool storeGlobals(const Conninfo &target, const QString &password, const PgVersion &server, const QString &artifact,
                      const QList<BackupStore *> &stores, GlobalsCompanion *out, Error *error);

    Request m_req;
    JobProgress m_progress;
    QHash<QString, qint64> m_tableBytes;
    qint64 m_totalTableBytes = 0;
    qint64 m_doneTableBytes = 0;
    QDateTime m_started;
    QString m_database; // as far as known: the conninfo's, then the server's
};

} // namespace lifeboat
