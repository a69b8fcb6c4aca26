#pragma once

#include "catalog/Catalog.h"

#include <QMutex>
#include <QSqlDatabase>
#include <QString>

#include <memory>

namespace lifeboat {

// Catalog on Qt SQL. driver "QSQLITE" (file path, WAL journal) or "QPSQL" (team catalog). Schema changes are
// numbered migrations applied in a transaction, recorded in schema_version.
class SqlCatalog : public Catalog {
public:
    SqlCatalog(QString driver, QString databaseName);
    ~SqlCatalog() override;

    static std::unique_ptr<SqlCatalog> sqlite(const QString &path) {
        return std::make_unique<SqlCatalog>(QStringLiteral("QSQLITE"), path);
    }

    bool open(QString *error) override;
    int schemaVersion() override;
    // Backups and their copies: SqlCatalogRecords.cpp
    bool insert(BackupRecord &record, QString *error) override;
    bool update(const BackupRecord &record, QString *error) override;
    bool setScheduledFor(qint64 id, const QDateTime &fireTime, QString *error) override;
    std::optional<BackupRecord> get(qint64 id) override;
    QList<BackupRecord> list(const CatalogFilter &filter) override;
    int count(const CatalogFilter &filter) override;
    int recoverInterrupted(const QString &host) override;
    bool hasArtifact(const QString &filename, const QString &sha256) override;
    bool hasFilename(const QString &filename) override;
    QStringList setIds(const QString &namePrefix = QString()) override;

    // Schedules and notifiers: SqlCatalogSchedules.cpp
    bool saveSchedule(ScheduleRecord &schedule, QString *error) override;
    std::optional<ScheduleRecord> schedule(const QString &name) override;
    QList<ScheduleRecord> schedules() override;
    bool removeSchedule(const QString &name, QString *error) override;
    bool markScheduleChecked(const QString &name, const QDateTime &checked, const QDateTime &ran, qint64 backupId,
                             const QString &status, QString *error) override;
    bool recordScheduleRun(const QString &name, const QDateTime &ran, qint64 backupId, const QString &status,
                           QString *error) override;
    bool tryLockSchedule(const QString &name, const QString &owner, int ttlSeconds, QString *error) override;
    void unlockSchedule(const QString &name, const QString &owner) override;
    bool saveNotifier(const NotifierRecord &notifier, QString *error) override;
    QList<NotifierRecord> notifiers() override;
    bool removeNotifier(const QString &name, QString *error) override;
    // Backup leases: SqlCatalogLeases.cpp
    qint64 acquireLease(qint64 backupId, const QString &operation, int ttlSeconds, QString *error) override;
    void releaseLease(qint64 leaseId) override;
    bool renewLease(qint64 leaseId, int ttlSeconds) override;
    QList<BackupLease> otherLeases(qint64 backupId, qint64 exceptId) override;
    // Signing keys: SqlCatalogKeys.cpp
    bool addSigningKey(const SigningKeyRecord &key, QString *error) override;
    QList<SigningKeyRecord> signingKeys() override;
    // Audit trail: SqlCatalogAudit.cpp
    bool appendAudit(const AuditEntry &entry, QString *error) override;
    QList<AuditEntry> auditEntries(const AuditFilter &filter) override;
    int auditCount(const AuditFilter &filter) override;
    // Base backups' WAL ranges: SqlCatalogBaseBackups.cpp
    bool saveBaseBackup(const BaseBackupInfo &info, QString *error) override;
    std::optional<BaseBackupInfo> baseBackup(qint64 backupId) override;
    // Archived WAL: SqlCatalogWal.cpp
    bool putWalFile(const WalFileRecord &file, QString *error) override;
    QList<WalFileRecord> walFiles(const WalFileFilter &filter) override;
    bool removeWalFile(const WalFileRecord &file, QString *error) override;

    bool isPostgres() const { return m_driver == QLatin1String("QPSQL"); }

    static int latestSchemaVersion();
    // A postgresql:// URI or key=value conninfo as QPSQL connect options (values quoted); empty for a plain name.
    static QString postgresConnectOptions(const QString &uriOrConninfo);
    static bool processAlive(qint64 pid);
    // `text` for a message: any password (URI user info, password=, ?password=, and the password that
    // `uriOrConninfo` holds, however it is written there) replaced. displayLocation(uri) is redacted(uri, uri).
    static QString redacted(const QString &text, const QString &uriOrConninfo);
    static QString displayLocation(const QString &uriOrConninfo) { return redacted(uriOrConninfo, uriOrConninfo); }

private:
    QSqlDatabase db();
    // Tells the audit trail what a record's status change means (a backup ended, retention expired it, deleted).
    void auditTransition(const QString &before, const BackupRecord &record);
    bool migrate(QString *error);
    bool writeLocations(QSqlDatabase &d, const BackupRecord &r, QString *error);
    // A write transaction that holds SQLite's write lock from its first statement (BEGIN IMMEDIATE): a deferred
    // BEGIN that reads first and writes later fails at once with "database is locked" when another connection wrote
    // in between (SQLITE_BUSY_SNAPSHOT ignores the busy timeout); IMMEDIATE waits for the lock instead.
    bool beginWrite(QSqlDatabase &d, QString *error = nullptr) const;
    void loadLocations(QSqlDatabase &d, BackupRecord &r);

    QString m_driver;
    QString m_databaseName;
    QString m_connectionPrefix;
    QMutex m_mutex;
    QStringList m_connections;
};

} // namespace lifeboat
