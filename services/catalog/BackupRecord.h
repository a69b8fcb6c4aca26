#pragma once

#include "catalog/GlobalsCompanion.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace lifeboat {

// Where one copy of an artifact lives: a local path or an S3 key on a named storage.
struct BackupLocation {
    QString storage; // storage name from the settings
    QString kind;    // "local" | "s3"
    QString path;    // absolute file path or object key
    QString manifestPath;
};

// A copy that retention removed from one storage while the record kept its others (a storage with its own rules):
// the location row stays, marked, so the record says where its copies went and why.
struct RemovedCopy {
    BackupLocation location;
    QDateTime removed;
    QString reason; // e.g. "storage s3 rules (daily 7): not kept"
};

// One row of the catalog. Statuses: IN_PROGRESS → COMPLETED | FAILED | CANCELLED; later EXPIRED → DELETED.
struct BackupRecord {
    qint64 id = 0;
    QString profile;
    QString database;
    QString kind = QStringLiteral("database"); // database | files | redis | mirror
    QString type = QStringLiteral("MANUAL");   // DAILY | WEEKLY | MONTHLY | MANUAL (promotions: "DAILY,WEEKLY")
    QString filename;
    qint64 size = 0;
    QString sha256;      // of the stored bytes
    QString plainSha256; // of the bytes before encryption (equals sha256 when not encrypted)
    bool encrypted = false;
    QStringList recipients;
    QString format;      // custom | plain | directory | tar | rdb
    QString compression; // none | gzip:6 | zstd:3 | …
    // The bytes the backup read (pg_dump's output, the tar stream) before Lifeboat compressed and encrypted them:
    // History's ratio size / bytesRead. -1: not recorded (records and manifests made before migration 13).
    qint64 bytesRead = -1;
    QString serverVersion;
    QString toolVersion;
    int tableCount = 0;
    QString status = QStringLiteral("IN_PROGRESS");
    QString error;
    QDateTime started;
    QDateTime finished;
    qint64 durationMs = 0;
    QDateTime expires;
    QString label;
    QString host; // workstation that ran the job (stale IN_PROGRESS detection)
    qint64 pid = 0;
    // Exact identity of the running process (ProcessIdentity::ownerIdentity); empty in records of older versions.
    QString owner;
    QDateTime verifiedAt;
    QString verifyOutcome; // PASSED | FAILED | empty
    QString setId;         // application backup set this record belongs to (empty: standalone)
    // Scheduled backups: the fire time the run was for. Retention counts its periods by it (run-due --as-of
    // replays land in the periods they simulate); `started` stays the real start.
    QDateTime scheduledFor;
    QList<BackupLocation> locations;  // the copies it has
    GlobalsCompanion globals;         // the server's roles beside each copy (migration 15); empty: none
    QList<RemovedCopy> removedCopies; // copies removed on their own (migration 9), never read from

    static QString statusInProgress() { return QStringLiteral("IN_PROGRESS"); }
    static QString statusCompleted() { return QStringLiteral("COMPLETED"); }
    static QString statusFailed() { return QStringLiteral("FAILED"); }
    static QString statusCancelled() { return QStringLiteral("CANCELLED"); }
    static QString statusExpired() { return QStringLiteral("EXPIRED"); }
    static QString statusDeleted() { return QStringLiteral("DELETED"); }
};

} // namespace lifeboat
