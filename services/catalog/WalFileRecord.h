#pragma once

#include <QDateTime>
#include <QString>

namespace lifeboat {

// One stored copy of a WAL file (schema 10, table wal_files): a segment, the segment being filled (`partial`), a
// timeline history file or a backup history file (`backup`, PostgreSQL archives one after each base backup), in one
// storage. The unique key is (profile, name, kind, storage); a partial row is replaced on each upload.
struct WalFileRecord {
    qint64 id = 0;
    QString profile;
    quint32 timeline = 0;
    QString name;    // as PostgreSQL names it: 000000010000000000000003, 00000002.history, …; a partial: its segment
    QString kind;    // segment | partial | history | backup
    QString storage; // the storage's name in config.json
    QString path;    // local file path or S3 key
    qint64 size = 0; // stored bytes
    QString sha256;  // of the stored bytes (compressed, encrypted)
    QString plainSha256;
    qint64 plainSize = 0;
    bool encrypted = false;
    QDateTime stored;
};

struct WalFileFilter {
    QString profile;
    QString name; // empty: any
    QString kind; // empty: any
    QString storage;
    qint64 timeline = -1; // -1: any
};

} // namespace lifeboat
