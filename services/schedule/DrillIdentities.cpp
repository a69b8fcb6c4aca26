#include "schedule/DrillIdentities.h"

#include "crypto/AgeRecipient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace lifeboat {

namespace {
const QString kOption = QStringLiteral("ageKeys"); // as ui/settings/KeysPanel

QJsonArray knownKeys(const ConfigStore &c) {
    return QJsonDocument::fromJson(c.option(kOption).toUtf8()).array();
}
} // namespace

std::vector<AgeIdentity> DrillIdentities::forRecord(const ConfigStore &config, CredentialStore *store,
                                                    const BackupRecord &record, QString *error) {
    std::vector<AgeIdentity> out;
    if (!record.encrypted)
        return out;
    QStringList problems;
    for (const QJsonValue &v : knownKeys(config)) {
        const QJsonObject k = v.toObject();
        const QString name = k.value(QStringLiteral("name")).toString();
        const QString recipient = k.value(QStringLiteral("recipient")).toString();
        // Only keys for this backup are read: a key list may name many, and a locked keychain should not fail a
        // drill that needs none of them.
        if (!recipient.isEmpty() && !record.recipients.isEmpty() && !record.recipients.contains(recipient))
            continue;
        std::vector<AgeIdentity> found;
        if (k.value(QStringLiteral("where")).toString() == QLatin1String("file")) {
            const QString path = k.value(QStringLiteral("file")).toString();
            QFile f(path);
            QString why;
            if (!f.open(QIODevice::ReadOnly)) {
                problems << QStringLiteral("identity file %1 (key \"%2\"): %3").arg(path, name, f.errorString());
                continue;
            }
            auto ids = AgeIdentity::parseIdentityFile(f.readAll(), &why);
            if (!ids) {
                problems << QStringLiteral("identity file %1 (key \"%2\"): %3").arg(path, name, why);
                continue;
            }
            found = std::move(*ids);
        } else {
            const auto secret = store ? store->read(CredentialStore::identityKey(name)) : std::nullopt;
            const auto id = secret ? AgeIdentity::parse(*secret) : std::nullopt;
            if (!id) {
                problems << QStringLiteral("key \"%1\" is not in %2")
                                .arg(name, store ? store->backendName()
                                                 : QStringLiteral("a credential store (none answers)"));
                continue;
            }
            found.push_back(*id);
        }
        for (AgeIdentity &id : found) {
            const auto r = id.recipient();
            if (!r || record.recipients.isEmpty() || record.recipients.contains(r->toString()))
                out.push_back(std::move(id));
        }
    }
    if (out.empty())
        *error =
            QStringLiteral("backup #%1 of %2 is encrypted to %3 and no identity for it is available here%4 — keep "
                           "the key with `lifeboatctl keygen --store NAME` (or import its identity file under "
                           "Settings → Encryption keys in the app), or verify by hand with `lifeboatctl verify %1 "
                           "--identity FILE`")
                .arg(record.id)
                .arg(record.profile,
                     record.recipients.isEmpty() ? QStringLiteral("a passphrase")
                                                 : record.recipients.join(QStringLiteral(", ")),
                     problems.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(problems.join(QStringLiteral("; "))));
    return out;
}

void DrillIdentities::remember(ConfigStore &config, const QString &name, const QString &recipient, const QString &where,
                               const QString &file) {
    QJsonArray keys = knownKeys(config);
    for (qsizetype i = keys.size() - 1; i >= 0; --i)
        if (keys.at(i).toObject().value(QStringLiteral("name")).toString() == name)
            keys.removeAt(i);
    keys.append(QJsonObject{{QStringLiteral("name"), name},
                            {QStringLiteral("recipient"), recipient},
                            {QStringLiteral("where"), where},
                            {QStringLiteral("file"), file}});
    config.setOption(kOption, QString::fromUtf8(QJsonDocument(keys).toJson(QJsonDocument::Compact)));
}

} // namespace lifeboat
