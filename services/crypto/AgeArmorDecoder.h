#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace lifeboat {

// Streaming reader of age's ASCII armor (C2SP age, "ASCII armor"): strict PEM with the label
// "AGE ENCRYPTED FILE", padded standard base64 in 64-column lines, LF or CRLF line ends, and only whitespace
// before the BEGIN line or after the END line. Anything looser (headers, checksums, blank or short inner lines,
// spaces inside lines, non-canonical base64) is rejected, so an armored file has exactly one valid encoding.
class AgeArmorDecoder {
public:
    static constexpr QByteArrayView kBegin = "-----BEGIN AGE ENCRYPTED FILE-----";
    static constexpr QByteArrayView kEnd = "-----END AGE ENCRYPTED FILE-----";

    // Appends the bytes decoded from in to *out. False on malformed armor (error() says why).
    bool feed(QByteArrayView in, QByteArray *out);
    // At end of input: false unless the END line was seen and only whitespace followed.
    bool finish();

    const QString &error() const { return m_error; }

    // The whitespace allowed around the armor (ASCII only).
    static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

private:
    enum class State { Leading, Lines, LastSeen, Trailing, Failed };

    bool line(QByteArrayView text, QByteArray *out);
    bool failed(const QString &why);

    State m_state = State::Leading;
    bool m_sawBegin = false;
    QByteArray m_line;          // current partial line (bounded: armor lines are short)
    qsizetype m_whitespace = 0; // whitespace skipped before BEGIN or after END (bounded, like age)
    QString m_error;
};

} // namespace lifeboat
