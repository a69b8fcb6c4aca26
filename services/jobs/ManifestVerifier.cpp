#include "jobs/ManifestVerifier.h"

#include "catalog/CanonicalJson.h"
#include "catalog/Manifest.h"
#include "crypto/Ed25519.h"
#include "jobs/ManifestSigner.h"
#include "jobs/StoreFactory.h"
#include "pipeline/MemorySink.h"
#include "storage/S3Session.h"
#include "storage/S3Types.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace lifeboat {

namespace {
constexpr qint64 kMaxManifestBytes = 16 * 1024 * 1024;

ManifestVerdict invalid(const QString &problem, const QString &keyId = {}) {
    ManifestVerdict v;
    v.signer = ManifestVerdict::Signer::Invalid;
    v.problem = problem;
    v.keyId = keyId;
    return v;
}

// Lower is weaker; the weakest copy decides what a record is worth.
int strength(ManifestVerdict::Signer s) {
    return static_cast<int>(s);
}
} // namespace

QString ManifestVerdict::describe() const {
    switch (signer) {
    case Signer::ThisInstallation:
        return QStringLiteral("signed by this installation (key %1)").arg(keyId);
    case Signer::KnownKey:
        return label.isEmpty() ? QStringLiteral("signed by a known key (%1)").arg(keyId)
                               : QStringLiteral("signed by a known key (%1, \"%2\")").arg(keyId, label);
    case Signer::UnknownSigner:
        return QStringLiteral("unknown signer (key %1 is not in the catalog; `lifeboatctl keys trust` adds it)")
            .arg(keyId);
    case Signer::Unsigned:
        return QStringLiteral("unsigned");
    case Signer::Invalid:
        break;
    }
    return QStringLiteral("INVALID signature: %1").arg(problem);
}

QString ManifestVerdict::statusName() const {
    switch (signer) {
    case Signer::ThisInstallation:
        return QStringLiteral("this-installation");
    case Signer::KnownKey:
        return QStringLiteral("known-key");
    case Signer::UnknownSigner:
        return QStringLiteral("unknown-signer");
    case Signer::Unsigned:
        return QStringLiteral("unsigned");
    case Signer::Invalid:
        break;
    }
    return QStringLiteral("invalid");
}

QJsonObject ManifestVerdict::toJson() const {
    QJsonObject o{{QStringLiteral("status"), statusName()}, {QStringLiteral("detail"), describe()}};
    if (!keyId.isEmpty())
        o[QStringLiteral("keyId")] = keyId;
    if (!label.isEmpty())
        o[QStringLiteral("label")] = label;
    if (!where.isEmpty())
        o[QStringLiteral("manifest")] = where;
    return o;
}

ManifestVerifier::ManifestVerifier(QList<SigningKeyRecord> known, QString installationKeyId)
    : m_known(std::move(known))
    , m_installationKeyId(std::move(installationKeyId)) {}

ManifestVerifier ManifestVerifier::fromCatalog(Catalog *catalog) {
    return {catalog ? catalog->signingKeys() : QList<SigningKeyRecord>{}, ManifestSigner::installationKeyId()};
}

ManifestVerdict ManifestVerifier::verify(const QByteArray &json) const {
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject())
        return invalid(QStringLiteral("the manifest is not valid JSON (%1)").arg(pe.errorString()));
    QJsonObject o = doc.object();
    if (!o.contains(QStringLiteral("signature")))
        return {};
    const QJsonObject sig = o.value(QStringLiteral("signature")).toObject();
    o.remove(QStringLiteral("signature"));
    const QString algorithm = sig.value(QStringLiteral("algorithm")).toString();
    const QString keyId = sig.value(QStringLiteral("keyId")).toString();
    if (algorithm != QLatin1String("ed25519"))
        return invalid(QStringLiteral("unsupported signature algorithm \"%1\"").arg(algorithm), keyId);
    const QByteArray embedded = Ed25519::parsePublicKeyText(sig.value(QStringLiteral("publicKey")).toString());
    const auto value = QByteArray::fromBase64Encoding(sig.value(QStringLiteral("value")).toString().toLatin1(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
    if (embedded.isEmpty() || !value || value.decoded.size() != Ed25519::kSignatureSize)
        return invalid(QStringLiteral("the signature object is malformed"), keyId);
    if (Ed25519::keyId(embedded) != keyId)
        return invalid(
            QStringLiteral("the signature's key id %1 does not belong to the public key it carries").arg(keyId), keyId);
    const SigningKeyRecord *known = nullptr;
    for (const SigningKeyRecord &k : m_known)
        if (k.keyId == keyId)
            known = &k;
    QByteArray key = embedded;
    if (known) {
        key = Ed25519::parsePublicKeyText(known->publicKey);
        if (key != embedded)
            return invalid(
                QStringLiteral("the signature carries a public key other than the catalog's key %1").arg(keyId), keyId);
    }
    QString why;
    const QByteArray canonical = CanonicalJson::serialize(o, &why);
    if (canonical.isEmpty())
        return invalid(why, keyId);
    if (!Ed25519::verify(key, canonical, value.decoded))
        return invalid(QStringLiteral("the signature by key %1 does not match the manifest's content — the manifest "
                                      "was changed after it was signed")
                           .arg(keyId),
                       keyId);
    ManifestVerdict v;
    v.keyId = keyId;
    if (!m_installationKeyId.isEmpty() && keyId == m_installationKeyId)
        v.signer = ManifestVerdict::Signer::ThisInstallation;
    else if (known)
        v.signer = ManifestVerdict::Signer::KnownKey;
    else
        v.signer = ManifestVerdict::Signer::UnknownSigner;
    if (known)
        v.label = known->label;
    return v;
}

ManifestVerdict ManifestVerifier::checkRecord(const BackupRecord &record, const QList<StorageConfig> &storages,
                                              const SecretLookup &secretFor) const {
    ManifestVerdict worst;
    bool any = false;
    for (const BackupLocation &loc : record.locations) {
        if (loc.manifestPath.isEmpty())
            continue;
        QByteArray json;
        bool found = false;
        QString where = loc.manifestPath;
        if (loc.kind == QLatin1String("local")) {
            QFile f(loc.manifestPath);
            if (f.exists()) {
                if (f.size() > kMaxManifestBytes || !f.open(QIODevice::ReadOnly)) {
                    ManifestVerdict v = invalid(QStringLiteral("the manifest cannot be read"));
                    v.where = where;
                    return v;
                }
                json = f.readAll();
                found = true;
            } else if (!QFileInfo::exists(loc.path)) {
                continue; // a copy that is gone entirely: the restore uses another one
            }
        } else if (loc.kind == QLatin1String("s3")) {
            where = QStringLiteral("%1:%2").arg(loc.storage, loc.manifestPath);
            const auto sc = std::find_if(storages.begin(), storages.end(),
                                         [&](const StorageConfig &s) { return s.name == loc.storage; });
            if (sc == storages.end())
                continue; // a storage this installation does not have: that copy is not used either
            Error e;
            auto session = StoreFactory::s3Session(*sc, secretFor ? secretFor(sc->name) : QString(), &e);
            if (!session)
                continue;
            S3ObjectInfo info;
            int status = 0;
            e = session->headObject(loc.manifestPath, &info, &status);
            if (!e && info.size > kMaxManifestBytes) {
                ManifestVerdict v = invalid(QStringLiteral("the manifest is %1 bytes, too large").arg(info.size));
                v.where = where;
                return v;
            }
            if (!e) {
                MemorySink mem;
                e = session->getObject(loc.manifestPath, &mem);
                if (!e) {
                    json = mem.data();
                    found = true;
                }
            }
            if (e && status != 404)
                continue; // unreachable: the transfer itself will say so if this copy is the one used
        } else {
            continue;
        }
        ManifestVerdict v;
        if (found) {
            v = verify(json);
            if (v.signer != ManifestVerdict::Signer::Invalid) {
                QString why;
                const Manifest m = Manifest::fromJson(json, &why);
                if (!why.isEmpty())
                    v = invalid(why, v.keyId);
                else if (m.artifact != record.filename || m.sha256 != record.sha256)
                    v = invalid(QStringLiteral("the manifest describes %1 (SHA-256 %2), but the catalog records %3 "
                                               "(SHA-256 %4)")
                                    .arg(m.artifact, m.sha256, record.filename, record.sha256),
                                v.keyId);
            }
        }
        v.where = where;
        if (v.signer == ManifestVerdict::Signer::Invalid)
            return v;
        if (!any || strength(v.signer) < strength(worst.signer))
            worst = v;
        any = true;
    }
    return worst;
}

Error ManifestVerifier::enforce(const ManifestVerdict &v, bool requireSigned, const QString &what) {
    const QString at = v.where.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(v.where);
    switch (v.signer) {
    case ManifestVerdict::Signer::Invalid:
        return {ExitCode::Integrity,
                QStringLiteral("the manifest of %1%2 fails its signature check: %3 — someone with write access to the "
                               "storage may have replaced it; nothing was used. Compare with another copy, or restore "
                               "an older backup")
                    .arg(what, at, v.problem)};
    case ManifestVerdict::Signer::Unsigned:
        if (requireSigned)
            return {ExitCode::Integrity,
                    QStringLiteral("the manifest of %1%2 is unsigned and --require-signed was given — it may predate "
                                   "manifest signing, or have been replaced; drop --require-signed only if you trust "
                                   "where it came from")
                        .arg(what, at)};
        return {};
    case ManifestVerdict::Signer::UnknownSigner:
        if (requireSigned)
            return {ExitCode::Integrity,
                    QStringLiteral("the manifest of %1%2 is signed by key %3, which the catalog does not know, and "
                                   "--require-signed was given — if that key is another installation's, add it with "
                                   "`lifeboatctl keys trust PUBKEY --label NAME` (get it there with `lifeboatctl keys "
                                   "export`)")
                        .arg(what, at, v.keyId)};
        return {};
    case ManifestVerdict::Signer::KnownKey:
    case ManifestVerdict::Signer::ThisInstallation:
        break;
    }
    return {};
}

} // namespace lifeboat
