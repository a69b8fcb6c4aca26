#pragma once

#include "catalog/BackupRecord.h"
#include "catalog/Catalog.h"
#include "catalog/SigningKeyRecord.h"
#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <atomic>
#include <functional>

namespace lifeboat {

// Who signed a manifest, as restore, verify, download and `catalog rebuild` report it.
struct ManifestVerdict {
    enum class Signer {
        Invalid,          // a signature is there but does not verify, or the manifest is not what the record says
        Unsigned,         // no signature (a manifest from before signing, or one written without a key)
        UnknownSigner,    // a valid signature by a key the catalog does not know
        KnownKey,         // a valid signature by a key in the catalog (another installation, or a retired key)
        ThisInstallation, // a valid signature by this installation's current key
    };
    Signer signer = Signer::Unsigned;
    QString keyId;
    QString label;   // the catalog's label of a known key
    QString problem; // for Invalid: what did not verify
    QString where;   // which copy's manifest this is about (path or storage:key)

    // "signed by this installation (key …)", "signed by a known key …", "unknown signer …", "unsigned", "INVALID …"
    QString describe() const;
    // "this-installation" | "known-key" | "unknown-signer" | "unsigned" | "invalid", for --json
    QString statusName() const;
    QJsonObject toJson() const;
};

// Checks manifest signatures against the catalog's signing keys (ManifestSigner explains the format). The public
// key inside a signature is only believed for a key id the catalog does not know, and then only as "unknown signer";
// a known key id is always checked with the catalog's key.
class ManifestVerifier {
public:
    using SecretLookup = std::function<QString(const QString &storageName)>;

    ManifestVerifier(QList<SigningKeyRecord> known, QString installationKeyId);
    // The catalog's keys and ManifestSigner::installationKeyId().
    static ManifestVerifier fromCatalog(Catalog *catalog);

    // The verdict on one manifest's bytes.
    ManifestVerdict verify(const QByteArray &json) const;

    // A catalogued backup: the manifest beside every copy (local file, S3 object) is read and checked, and must
    // describe this record (artifact name and SHA-256). The weakest verdict wins; an Invalid one names its copy. A
    // copy without a manifest counts as unsigned.
    ManifestVerdict checkRecord(const BackupRecord &record, const QList<StorageConfig> &storages,
                                const SecretLookup &secretFor) const;

    // The refusal for a verdict: an invalid signature always; with requireSigned also unsigned manifests and
    // unknown signers. ExitCode::Integrity, with what to do; no error when the verdict is acceptable.
    static Error enforce(const ManifestVerdict &verdict, bool requireSigned, const QString &what);

private:
    QList<SigningKeyRecord> m_known;
    QString m_installationKeyId;
};

} // namespace lifeboat
