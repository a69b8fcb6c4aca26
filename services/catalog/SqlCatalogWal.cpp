// SqlCatalog: archived WAL (schema version 10).
#include "catalog/SqlCatalog.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace lifeboat {

bool SqlCatalog::putWalFile(const WalFileRecord &f, QString *error) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    // One statement, so two writers of the same key (wal receive and a wal push run by hand) never both insert.
    q.prepare(QStringLiteral(
        "INSERT INTO wal_files (profile, timeline, name, kind, storage, path, size, sha256, plain_sha256, plain_size,"
        " encrypted, stored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (profile, name, kind, storage) DO UPDATE SET timeline = excluded.timeline,"
        " path = excluded.path, size = excluded.size, sha256 = excluded.sha256,"
        " plain_sha256 = excluded.plain_sha256, plain_size = excluded.plain_size, encrypted = excluded.encrypted,"
        " stored = excluded.stored"));
    q.addBindValue(f.profile);
    q.addBindValue(static_cast<qint64>(f.timeline));
    q.addBindValue(f.name);
    q.addBindValue(f.kind);
    q.addBindValue(f.storage);
    q.addBindValue(f.path);
    q.addBindValue(f.size);
    q.addBindValue(f.sha256);
    q.addBindValue(f.plainSha256);
    q.addBindValue(f.plainSize);
    q.addBindValue(f.encrypted ? 1 : 0);
    q.addBindValue(
        (f.stored.isValid() ? f.stored : QDateTime::currentDateTimeUtc()).toUTC().toString(Qt::ISODateWithMs));
    if (q.exec())
        return true;
    if (error)
        *error = QStringLiteral("cannot record WAL file %1 in the catalog: %2").arg(f.name, q.lastError().text());
    return false;
}

QList<WalFileRecord> SqlCatalog::walFiles(const WalFileFilter &filter) {
    QList<WalFileRecord> out;
    QSqlDatabase d = db();
    QSqlQuery q(d);
    QString sql = QStringLiteral("SELECT id, profile, timeline, name, kind, storage, path, size, sha256, plain_sha256,"
                                 " plain_size, encrypted, stored FROM wal_files WHERE profile = ?");
    QVariantList binds{filter.profile};
    if (!filter.name.isEmpty()) {
        sql += QStringLiteral(" AND name = ?");
        binds << filter.name;
    }
    if (!filter.kind.isEmpty()) {
        sql += QStringLiteral(" AND kind = ?");
        binds << filter.kind;
    }
    if (!filter.storage.isEmpty()) {
        sql += QStringLiteral(" AND storage = ?");
        binds << filter.storage;
    }
    if (filter.timeline >= 0) {
        sql += QStringLiteral(" AND timeline = ?");
        binds << filter.timeline;
    }
    // Names are fixed-width upper-case hex, so their order is LSN order within a timeline.
    sql += QStringLiteral(" ORDER BY timeline, name, kind, storage");
    q.prepare(sql);
    for (const QVariant &b : std::as_const(binds))
        q.addBindValue(b);
    if (!q.exec())
        return out;
    while (q.next()) {
        WalFileRecord f;
        f.id = q.value(0).toLongLong();
        f.profile = q.value(1).toString();
        f.timeline = static_cast<quint32>(q.value(2).toLongLong());
        f.name = q.value(3).toString();
        f.kind = q.value(4).toString();
        f.storage = q.value(5).toString();
        f.path = q.value(6).toString();
        f.size = q.value(7).toLongLong();
        f.sha256 = q.value(8).toString();
        f.plainSha256 = q.value(9).toString();
        f.plainSize = q.value(10).toLongLong();
        f.encrypted = q.value(11).toInt() != 0;
        f.stored = QDateTime::fromString(q.value(12).toString(), Qt::ISODateWithMs).toUTC();
        out.append(f);
    }
    return out;
}

bool SqlCatalog::removeWalFile(const WalFileRecord &f, QString *error) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.prepare(QStringLiteral("DELETE FROM wal_files WHERE profile = ? AND name = ? AND kind = ? AND storage = ?"));
    q.addBindValue(f.profile);
    q.addBindValue(f.name);
    q.addBindValue(f.kind);
    q.addBindValue(f.storage);
    if (q.exec())
        return true;
    if (error)
        *error = QStringLiteral("cannot remove WAL file %1 from the catalog: %2").arg(f.name, q.lastError().text());
    return false;
}

} // namespace lifeboat
