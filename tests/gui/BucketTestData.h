#pragma once

// Objects for the bucket browser tests (tst_gui_buckets): random bytes, their SHA-256 and the manifest Lifeboat
// writes beside a backup, for artifacts put straight into the bucket.
#include "catalog/Manifest.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace buckettest {

inline QByteArray sha(const QByteArray &b) {
    return QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex();
}

inline QByteArray manifestFor(const QString &artifact, const QByteArray &bytes, const QByteArray &sha256) {
    lifeboat::Manifest m;
    m.toolVersion = QStringLiteral("0.1.0");
    m.profile = QStringLiteral("shop");
    m.host = QStringLiteral("db.internal:5432");
    m.database = QStringLiteral("shop");
    m.type = QStringLiteral("DAILY");
    m.serverVersion = QStringLiteral("15.8");
    m.pgDumpVersion = QStringLiteral("15.8");
    m.format = QStringLiteral("custom");
    m.compression = QStringLiteral("gzip:6");
    m.artifact = artifact;
    m.size = bytes.size();
    m.sha256 = QString::fromLatin1(sha256);
    m.plainSha256 = m.sha256;
    m.started = QDateTime(QDate(2026, 11, 20), QTime(2, 0), Qt::UTC);
    m.finished = m.started.addSecs(42);
    m.durationMs = 42000;
    m.tables = {{QStringLiteral("public"), QStringLiteral("customers"), 500}};
    return m.toJson();
}

inline QByteArray randomBytes(int n) {
    QByteArray b((n + 3) / 4 * 4, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(b.data()), b.size() / 4);
    b.truncate(n);
    return b;
}

} // namespace buckettest
