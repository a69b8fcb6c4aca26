#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace lifeboat {

// One recipient stanza: "-> TYPE ARG...", then the body as wrapped base64.
struct AgeStanza {
    QByteArray type;
    QList<QByteArray> args;
    QByteArray body;
};

// The textual age v1 header (C2SP age, "Header" section). Parsing is deliberately strict: exactly one encoding of
// a header is accepted (canonical unpadded base64, 64-column body lines ending in a short line, single spaces, LF
// only), so the MAC can be checked over the bytes as received and a file can't be re-encoded into a different one
// that still verifies.
class AgeHeader {
public:
    static constexpr QByteArrayView kMagic = "age-encryption.org/v1\n";

    std::vector<AgeStanza> stanzas;
    QByteArray mac;        // 32 bytes from the "--- " line
    QByteArray macedBytes; // the header up to and including "---": what the MAC covers

    // "age-encryption.org/v1\n" + stanzas + "---"; the caller appends " " + base64(mac) + "\n".
    static QByteArray encodeWithoutMac(const std::vector<AgeStanza> &stanzas);

    // Scans buf for the end of the header (the LF closing the "---" line), starting at *scanPos and advancing it
    // so repeated calls on a growing buffer stay linear. Returns the header length, or -1 if not yet complete.
    static qsizetype findEnd(QByteArrayView buf, qsizetype *scanPos);

    // Parses a complete header (exactly what findEnd() measured). On failure, *error says what is malformed.
    static std::optional<AgeHeader> parse(QByteArrayView text, QString *error);

    // Unpadded standard base64, and its strict decoder (no padding, no CR/LF, zero trailing bits).
    static QByteArray encodeBase64(QByteArrayView data);
    static std::optional<QByteArray> decodeBase64(QByteArrayView text);
    // One character of the standard alphabet, -1 for anything else (also used by the armor reader).
    static int base64Value(char c);

    // Arguments and types are non-empty strings of printable ASCII without spaces (VCHAR, 0x21-0x7E).
    static bool isValidArgument(QByteArrayView arg);
};

} // namespace lifeboat
