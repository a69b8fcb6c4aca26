// SqlCatalog: the public keys of manifest signers (schema version 5).
#include "catalog/SqlCatalog.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace lifeboat {

namespace {
std::optional<SigningKeyRecord> keyById(QSqlDatabase &d, const QString &keyId) {
    QSqlQuery q(d);
    q.prepare(QStringLiteral("SELECT key_id, public_key, label, added FROM signing_keys WHERE key_id = ?"));
    q.addBindValue(keyId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return SigningKeyRecord{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                            QDateTime::fromString(q.value(3).toString(), Qt::ISODateWithMs).toUTC()};
}
} // namespace

bool SqlCatalog::addSigningKey(const SigningKeyRecord &key, QString *error) {
    QSqlDatabase d = db();
    if (const auto existing = keyById(d, key.keyId)) {
        if (existing->publicKey == key.publicKey)
            return true;
        if (error)
            *error = QStringLiteral("the catalog already has a different public key under id %1").arg(key.keyId);
        return false;
    }
    QSqlQuery q(d);
    q.prepare(QStringLiteral("INSERT INTO signing_keys (key_id, public_key, label, added) VALUES (?, ?, ?, ?)"));
    q.addBindValue(key.keyId);
    q.addBindValue(key.publicKey);
    q.addBindValue(key.label);
    q.addBindValue(
        (key.added.isValid() ? key.added : QDateTime::currentDateTimeUtc()).toUTC().toString(Qt::ISODateWithMs));
    if (q.exec())
        return true;
    // Another runner sharing this catalog may have added the same key a moment ago.
    if (const auto existing = keyById(d, key.keyId); existing && existing->publicKey == key.publicKey)
        return true;
    if (error)
        *error = QStringLiteral("cannot add signing key %1 to the catalog: %2").arg(key.keyId, q.lastError().text());
    return false;
}

QList<SigningKeyRecord> SqlCatalog::signingKeys() {
    QList<SigningKeyRecord> out;
    QSqlDatabase d = db();
    QSqlQuery q(d);
    if (!q.exec(QStringLiteral("SELECT key_id, public_key, label, added FROM signing_keys ORDER BY added, key_id")))
        return out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                    QDateTime::fromString(q.value(3).toString(), Qt::ISODateWithMs).toUTC()});
    return out;
}

} // namespace lifeboat
