#pragma once

#include "core/ExitCode.h"
#include "crypto/AgeIdentity.h"
#include "crypto/AgeRecipient.h"

#include <QByteArray>

#include <vector>

namespace lifeboat {

// The bytes of a stored WAL object: a zstd frame with its content checksum around the exact file, age-encrypted
// when there are recipients — the same stages a backup uses (ZstdStage, AgeEncryptStage, and back).
class WalCodec {
public:
    // zstd level for WAL: segments are mostly page images and records that compress well at a low level; the
    // per-segment cost is what an archive_command adds to every switch (docs/performance.md).
    static constexpr int kLevel = 3;

    struct Encoded {
        QByteArray bytes;
        QString sha256; // of bytes
    };
    static bool encode(const QByteArray &plain, const std::vector<AgeRecipient> &recipients, Encoded *out,
                       Error *error);
    // Integrity errors for a damaged frame, a failed MAC or a wrong key; Usage when encrypted and no identity.
    static bool decode(const QByteArray &stored, bool encrypted, const std::vector<AgeIdentity> &identities,
                       QByteArray *plain, Error *error);
};

} // namespace lifeboat
