#include "crypto/AgeArmorDecoder.h"

#include "crypto/AgeHeader.h"

namespace lifeboat {

namespace {
constexpr qsizetype kColumns = 64;
constexpr qsizetype kMaxLine = 80; // longest legal line is the BEGIN marker plus CR
constexpr qsizetype kMaxWhitespace = 1024;

// Padded, canonical base64 of one armor line; appends to out and returns the decoded length, or -1.
qsizetype decodeLine(QByteArrayView text, QByteArray *out) {
    if (text.isEmpty() || text.size() % 4 != 0)
        return -1;
    qsizetype pad = 0;
    if (text.endsWith("=="))
        pad = 2;
    else if (text.endsWith('='))
        pad = 1;
    const qsizetype before = out->size();
    for (qsizetype i = 0; i < text.size(); i += 4) {
        uint32_t acc = 0;
        const bool lastQuad = i + 4 == text.size();
        for (qsizetype j = 0; j < 4; ++j) {
            const char c = text[i + j];
            int v;
            if (c == '=' && lastQuad && j >= 4 - pad)
                v = 0;
            else if ((v = AgeHeader::base64Value(c)) < 0)
                return -1;
            acc = (acc << 6) | uint32_t(v);
        }
        const qsizetype bytes = lastQuad ? 3 - pad : 3;
        // The bits that padding leaves unused must be zero (one encoding per byte string).
        if (lastQuad && pad > 0 && (acc & ((1u << (8 * pad)) - 1)) != 0)
            return -1;
        for (qsizetype b = 0; b < bytes; ++b)
            out->append(char((acc >> (16 - 8 * b)) & 0xff));
    }
    return out->size() - before;
}
} // namespace

bool AgeArmorDecoder::failed(const QString &why) {
    m_state = State::Failed;
    m_error = QStringLiteral("malformed ASCII armor: %1").arg(why);
    return false;
}

bool AgeArmorDecoder::feed(QByteArrayView in, QByteArray *out) {
    qsizetype pos = 0;
    while (pos < in.size()) {
        switch (m_state) {
        case State::Failed:
            return false;
        case State::Leading:
        case State::Trailing:
            if (m_state == State::Leading && !isSpace(in[pos])) {
                m_state = State::Lines;
                m_line.clear();
                // The BEGIN line is gathered like any other and checked in line().
                continue;
            }
            if (!isSpace(in[pos]))
                return failed(QStringLiteral("data after the END line"));
            if (++m_whitespace > kMaxWhitespace)
                return failed(QStringLiteral("more than %1 bytes of whitespace around the armor").arg(kMaxWhitespace));
            ++pos;
            break;
        case State::Lines:
        case State::LastSeen: {
            const qsizetype nl = in.indexOf('\n', pos);
            const qsizetype end = nl < 0 ? in.size() : nl;
            m_line += in.sliced(pos, end - pos);
            if (m_line.size() > kMaxLine)
                return failed(QStringLiteral("line longer than %1 columns").arg(kColumns));
            pos = end;
            if (nl < 0)
                return true;
            ++pos;
            QByteArray text = std::move(m_line);
            m_line.clear();
            if (text.endsWith('\r'))
                text.chop(1);
            if (!line(text, out))
                return false;
            break;
        }
        }
    }
    return m_state != State::Failed;
}

bool AgeArmorDecoder::line(QByteArrayView text, QByteArray *out) {
    if (!m_sawBegin) {
        if (text != kBegin)
            return failed(QStringLiteral("the first line is not \"%1\"").arg(QLatin1String(kBegin)));
        m_sawBegin = true;
        return true;
    }
    if (text == kEnd) {
        m_state = State::Trailing;
        m_whitespace = 0;
        return true;
    }
    if (m_state == State::LastSeen)
        return failed(QStringLiteral("a short line must be the last one before the END line"));
    if (text.size() > kColumns)
        return failed(QStringLiteral("line longer than %1 columns").arg(kColumns));
    const qsizetype n = decodeLine(text, out);
    if (n < 0)
        return failed(QStringLiteral("invalid or non-canonical base64 (or an empty line) inside the armor"));
    if (n < kColumns / 4 * 3)
        m_state = State::LastSeen;
    return true;
}

bool AgeArmorDecoder::finish() {
    if (m_state == State::Failed)
        return false;
    if (m_state == State::Trailing)
        return true;
    // The END line may lack a final newline.
    QByteArrayView last = m_line;
    if (last.endsWith('\r'))
        last.chop(1);
    if (m_sawBegin && last == kEnd)
        return true;
    if (m_state == State::Leading)
        return failed(QStringLiteral("the input is empty"));
    return failed(QStringLiteral("the input ends before the \"%1\" line").arg(QLatin1String(kEnd)));
}

} // namespace lifeboat
