#include "restore/ManifestSignatureCheck.h"

#include <QFile>
#include <QFileInfo>

namespace lifeboat {

SafetyCheck manifestSignatureCheck(const RestoreSource &source, const QString &spec, Catalog *catalog,
                                   const QList<StorageConfig> &storages, const QHash<QString, QString> &storageSecrets,
                                   bool requireSigned, ManifestVerdict *verdict, bool desktopWording) {
    const ManifestVerifier verifier = ManifestVerifier::fromCatalog(catalog);
    ManifestVerdict v;
    if (source.isRecord()) {
        v = verifier.checkRecord(source.record(), storages,
                                 [&storageSecrets](const QString &storage) { return storageSecrets.value(storage); });
    } else {
        const QString manifestPath = QFileInfo(spec).absoluteFilePath() + QStringLiteral(".manifest.json");
        v.where = manifestPath;
        QFile f(manifestPath);
        if (f.exists()) {
            if (f.size() > 16 * 1024 * 1024 || !f.open(QIODevice::ReadOnly)) {
                v.signer = ManifestVerdict::Signer::Invalid;
                v.problem = QStringLiteral("the manifest cannot be read");
            } else {
                const QByteArray json = f.readAll();
                v = verifier.verify(json);
                v.where = manifestPath;
                QString why;
                const Manifest m = Manifest::fromJson(json, &why);
                // The integrity check compared the file with the checksum read when the source was opened: this
                // must be the same manifest.
                if (v.signer != ManifestVerdict::Signer::Invalid &&
                    (!why.isEmpty() || m.sha256 != source.expectedSha256())) {
                    v.signer = ManifestVerdict::Signer::Invalid;
                    v.problem = QStringLiteral("the manifest changed while it was being read");
                }
            }
        }
    }
    if (verdict)
        *verdict = v;
    const QString title = QStringLiteral("Manifest signature");
    const QString id = QStringLiteral("signature");
    if (const Error e = ManifestVerifier::enforce(v, requireSigned, source.displayName()))
        return {id, title, SafetyCheck::Outcome::Refused, e.message, ExitCode::Integrity};
    const bool trusted =
        v.signer == ManifestVerdict::Signer::ThisInstallation || v.signer == ManifestVerdict::Signer::KnownKey;
    QString detail = v.describe();
    if (v.signer == ManifestVerdict::Signer::Unsigned)
        detail += desktopWording ? QStringLiteral(" — nothing vouches for this manifest beyond the storage it came "
                                                  "from; a policy of signed backups only would refuse it")
                                 : QStringLiteral(" — nothing vouches for this manifest beyond the storage it came "
                                                  "from; --require-signed refuses such backups");
    return {id, title, trusted ? SafetyCheck::Outcome::Passed : SafetyCheck::Outcome::Warning, detail, ExitCode::Ok};
}

} // namespace lifeboat
