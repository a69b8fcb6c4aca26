#pragma once

#include "core/ExitCode.h"

#include <QByteArray>
#include <QString>

namespace lifeboat {

class S3Session;

// A verified download: GET streamed through SHA-256 into FINAL.partial, renamed onto FINAL only when the bytes
// are complete and (when an expected hash is given) match. An existing FINAL.partial is resumed with a Range
// request (its bytes are hashed first, so the check covers the whole file). On a mismatch the partial file is
// deleted and the error is ExitCode::Integrity; nothing is ever left under the final name unverified.
class S3Download {
public:
    struct Result {
        qint64 bytes = 0;       // size of the final file
        qint64 resumedFrom = 0; // bytes already in the partial file (0 = fresh download)
        QByteArray sha256Hex;   // of the whole file
    };

    // durable: false for a private scratch copy (see AtomicFileSink::setDurable).
    static Error toFile(S3Session &session, const QString &key, const QString &finalPath,
                        const QByteArray &expectedSha256Hex = {}, Result *result = nullptr, bool durable = true);
};

} // namespace lifeboat
