#pragma once

#include "catalog/BackupRecord.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace lifeboat {

// The JSON document stored beside every artifact. It describes the backup completely enough to rebuild the
// catalog from a bucket alone, and to verify a restore (exact row counts). It never holds a secret: recipients are
// public keys, the connection is described by host and database only.
struct Manifest {
    struct Table {
        QString schema;
        QString name;
        qint64 rows = 0;
    };

    static constexpr int kFormatVersion = 1;

    int formatVersion = kFormatVersion;
    QString toolVersion;
    QString profile;
    QString host; // server host:port, no credentials
    QString database;
    QString kind = QStringLiteral("database");
    QString type = QStringLiteral("MANUAL");
    QString label;
    QString setId; // application backup set (empty: standalone); omitted from the JSON when empty
    QString serverVersion;
    QString pgDumpVersion;
    QString format;
    QString compression;
    QString artifact; // file name
    qint64 size = 0;
    qint64 bytesRead = -1; // before Lifeboat's compression (BackupRecord::bytesRead); -1: not recorded, omitted
    QString sha256;
    QString plainSha256;
    bool encrypted = false;
    QStringList recipients;
    QDateTime started;
    QDateTime finished;
    qint64 durationMs = 0;
    QList<Table> tables;
    // File backups: regular files and their content bytes (-1: not a file backup, omitted from the JSON).
    qint64 fileCount = -1;
    qint64 totalBytes = 0;
    // Base backups (kind "base"): the WAL range, BaseBackupInfo::toJson; omitted from the JSON when empty.
    QJsonObject baseBackup;
    // Database backups of a profile with --globals: the companion file (GlobalsCompanion::toJson); omitted when none.
    QJsonObject globals;

    QByteArray toJson() const;
    static Manifest fromJson(const QByteArray &json, QString *error);

    BackupRecord toRecord() const;
};

} // namespace lifeboat
