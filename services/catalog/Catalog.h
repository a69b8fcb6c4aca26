#pragma once

#include "catalog/AuditEntry.h"
#include "catalog/BackupLease.h"
#include "catalog/BackupRecord.h"
#include "catalog/BaseBackupInfo.h"
#include "catalog/ScheduleRecord.h"
#include "catalog/SigningKeyRecord.h"
#include "catalog/WalFileRecord.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace lifeboat {

struct CatalogFilter {
    QString profile;
    QString status;
    QString type; // matches when the record's type list contains it (DAILY matches "DAILY,WEEKLY")
    QString kind;
    QString setId;           // exact set id; members of one application backup set
    bool inSetsOnly = false; // only records that belong to some set
    QDateTime since;
    QDateTime until;
    int limit = -1;
    int offset = 0;
};

// The record of every backup. SQLite in LIFEBOAT_HOME by default; the interface lets a shared PostgreSQL
// catalog take its place. Thread-safe: every thread gets its own connection.
class Catalog {
public:
    virtual ~Catalog() = default;

    virtual bool open(QString *error) = 0;
    virtual int schemaVersion() = 0;

    virtual bool insert(BackupRecord &record, QString *error) = 0; // sets record.id
    virtual bool update(const BackupRecord &record, QString *error) = 0;
    // Only the fire time a scheduled backup ran for: a whole-record update here could overwrite a concurrent
    // change to the record (a verification outcome, an expiry).
    virtual bool setScheduledFor(qint64 id, const QDateTime &fireTime, QString *error) = 0;
    virtual std::optional<BackupRecord> get(qint64 id) = 0;
    virtual QList<BackupRecord> list(const CatalogFilter &filter) = 0;
    virtual int count(const CatalogFilter &filter) = 0;

    // A record IN_PROGRESS on this host whose process is gone was interrupted (crash, kill, power loss): mark it
    // FAILED so the catalog never claims a backup is still running. Returns how many were recovered.
    virtual int recoverInterrupted(const QString &host) = 0;

    // True when a record with this artifact name and sha256 exists (catalog rebuild skips it).
    virtual bool hasArtifact(const QString &filename, const QString &sha256) = 0;
    // True when any record (whatever its status) already uses this artifact name.
    virtual bool hasFilename(const QString &filename) = 0;

    // Application backup sets (schema 4): every record of one set, oldest first, and the distinct set ids (newest
    // first; `namePrefix` narrows to ids starting with it, e.g. "set-shop-").
    QList<BackupRecord> listBySet(const QString &setId);
    virtual QStringList setIds(const QString &namePrefix = QString());

    // Schedules (schema 2). The defaults report "not supported" so other catalog implementations keep compiling.
    virtual bool saveSchedule(ScheduleRecord &schedule, QString *error); // insert or update by name
    virtual std::optional<ScheduleRecord> schedule(const QString &name);
    virtual QList<ScheduleRecord> schedules();
    virtual bool removeSchedule(const QString &name, QString *error);
    // Records that a runner dealt with every fire time up to `checked`; `ran` (invalid: no run) with the backup id
    // and status it produced.
    virtual bool markScheduleChecked(const QString &name, const QDateTime &checked, const QDateTime &ran,
                                     qint64 backupId, const QString &status, QString *error);
    // A run started by hand (the app's Run now): its time, backup id and status, without moving the runners'
    // last check — the fire times a runner has dealt with stay its own, so no due run is skipped or repeated.
    virtual bool recordScheduleRun(const QString &name, const QDateTime &ran, qint64 backupId, const QString &status,
                                   QString *error);
    // One run per schedule at a time across every runner sharing this catalog. tryLock returns false when another
    // owner holds it (or on error, with *error set). A lock older than `ttlSeconds` counts as abandoned.
    virtual bool tryLockSchedule(const QString &name, const QString &owner, int ttlSeconds, QString *error);
    virtual void unlockSchedule(const QString &name, const QString &owner);

    // Backup leases (schema 7, see BackupLease). acquireLease records the lease and returns its id (0 on error, with
    // *error set); it does not look at other leases — callers check otherLeases() after acquiring, so of two
    // conflicting operations started at once at least one sees the other. otherLeases: the live leases on the
    // backup except `exceptId` (a same-host lease whose process is gone, or an expired one, is dropped on the way).
    virtual qint64 acquireLease(qint64 backupId, const QString &operation, int ttlSeconds, QString *error);
    virtual void releaseLease(qint64 leaseId);
    // Moves the lease's expiry to now + ttlSeconds (a long operation keeps its lease); false if it is gone.
    virtual bool renewLease(qint64 leaseId, int ttlSeconds);
    virtual QList<BackupLease> otherLeases(qint64 backupId, qint64 exceptId);

    // Notification channels (schema 2).
    virtual bool saveNotifier(const NotifierRecord &notifier, QString *error);
    virtual QList<NotifierRecord> notifiers();
    virtual bool removeNotifier(const QString &name, QString *error);

    // Manifest signing keys (schema 5), oldest first. Adding a key id that is there already with the same public
    // key succeeds without a change; the same id with another public key is refused.
    virtual bool addSigningKey(const SigningKeyRecord &key, QString *error);
    virtual QList<SigningKeyRecord> signingKeys();

    // The audit trail (audit_log, append-only: AuditTrail writes it, nothing updates or deletes a row). Newest first.
    virtual bool appendAudit(const AuditEntry &entry, QString *error);
    virtual QList<AuditEntry> auditEntries(const AuditFilter &filter);
    virtual int auditCount(const AuditFilter &filter);

    // Base backups' WAL ranges (schema 11), one per record of kind "base"; saving again replaces it.
    virtual bool saveBaseBackup(const BaseBackupInfo &info, QString *error);
    virtual std::optional<BaseBackupInfo> baseBackup(qint64 backupId);

    // Archived WAL (schema 10, see WalFileRecord). putWalFile inserts, or replaces the row with the same profile,
    // name, kind and storage. walFiles: ordered by timeline, name (LSN order), kind, storage.
    virtual bool putWalFile(const WalFileRecord &file, QString *error);
    virtual QList<WalFileRecord> walFiles(const WalFileFilter &filter);
    virtual bool removeWalFile(const WalFileRecord &file, QString *error);
};

} // namespace lifeboat
