#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace lifeboat {

// BIP 173 Bech32 (not Bech32m), as age uses it for "age1…" recipients and "AGE-SECRET-KEY-1…" identities.
// Hand-written because neither Qt nor OpenSSL ship it; it mirrors age's own bech32 package, including its lack
// of the 90-character limit and the rule that a string is all upper or all lower case.
class Bech32 {
public:
    struct Decoded {
        QByteArray hrp; // as written (case preserved), so callers can insist on age's canonical case
        QByteArray data;
    };

    // hrp may be upper or lower case; the result has the hrp's case throughout.
    static QByteArray encode(QByteArrayView hrp, QByteArrayView data);
    static std::optional<Decoded> decode(QByteArrayView text);
};

} // namespace lifeboat
