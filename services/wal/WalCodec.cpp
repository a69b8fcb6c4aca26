#include "wal/WalCodec.h"

#include "crypto/AgeDecryptStage.h"
#include "crypto/AgeEncryptStage.h"
#include "pipeline/MemorySink.h"
#include "pipeline/Sha256.h"
#include "pipeline/UnzstdStage.h"
#include "pipeline/ZstdStage.h"

#include <memory>

namespace lifeboat {

bool WalCodec::encode(const QByteArray &plain, const std::vector<AgeRecipient> &recipients, Encoded *out,
                      Error *error) {
    MemorySink sink;
    std::unique_ptr<AgeEncryptStage> encrypt;
    ByteSink *afterZstd = &sink;
    if (!recipients.empty()) {
        encrypt = std::make_unique<AgeEncryptStage>(recipients, &sink);
        afterZstd = encrypt.get();
    }
    ZstdStage zstd(afterZstd, kLevel);
    if (!zstd.write(plain) || !zstd.finish()) {
        if (error)
            *error = zstd.error();
        return false;
    }
    out->bytes = sink.data();
    out->sha256 = QString::fromLatin1(Sha256::hex(out->bytes));
    return true;
}

bool WalCodec::decode(const QByteArray &stored, bool encrypted, const std::vector<AgeIdentity> &identities,
                      QByteArray *plain, Error *error) {
    if (encrypted && identities.empty()) {
        if (error)
            *error = {ExitCode::Usage, QStringLiteral("this WAL is encrypted: pass --identity FILE or --identity-name "
                                                      "NAME (the age identity of the archive's recipient)")};
        return false;
    }
    MemorySink sink;
    UnzstdStage unzstd(&sink);
    std::unique_ptr<AgeDecryptStage> decrypt;
    ByteSink *head = &unzstd;
    if (encrypted) {
        decrypt = std::make_unique<AgeDecryptStage>(identities, &unzstd, AgeDecryptStage::Input::Binary);
        head = decrypt.get();
    }
    if (!head->write(stored) || !head->finish()) {
        if (error)
            *error = head->error().isError() ? head->error() : unzstd.error();
        return false;
    }
    *plain = sink.data();
    return true;
}

} // namespace lifeboat
