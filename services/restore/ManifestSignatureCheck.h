#pragma once

#include "catalog/Catalog.h"
#include "catalog/StorageConfig.h"
#include "jobs/ManifestVerifier.h"
#include "restore/RestoreSource.h"
#include "restore/SafetyCheck.h"

#include <QHash>
#include <QString>

namespace lifeboat {

// The "Manifest signature" check of restore and verify: who signed the manifest of what is about to be used
// (ManifestVerifier::checkRecord for a catalogued backup; the manifest beside a file, which must still name the
// checksum the integrity check used). Passed for a signature by this installation or a known key; Warning for an
// unsigned manifest or an unknown signer; Refused (ExitCode::Integrity) for a signature that does not verify, and
// with requireSigned for unsigned manifests and unknown signers. *verdict gets the verdict for reports. The
// unsigned warning points to `--require-signed`, or with desktopWording to the policy in words.
SafetyCheck manifestSignatureCheck(const RestoreSource &source, const QString &spec, Catalog *catalog,
                                   const QList<StorageConfig> &storages, const QHash<QString, QString> &storageSecrets,
                                   bool requireSigned, ManifestVerdict *verdict = nullptr, bool desktopWording = false);

} // namespace lifeboat
