#include "crypto/AgeHeader.h"

namespace lifeboat {

namespace {

constexpr qsizetype kColumnsPerLine = 64;
constexpr qsizetype kBytesPerLine = kColumnsPerLine / 4 * 3;

// Printable for error messages: header lines are public, but keep them short and free of control characters.
QString quoted(QByteArrayView line) {
    QByteArray shown = line.first(qMin<qsizetype>(line.size(), 80)).toByteArray();
    for (auto &c : shown) {
        if (uchar(c) < 0x20 || uchar(c) > 0x7e)
            c = '?';
    }
    return QStringLiteral("\"%1%2\"")
        .arg(QString::fromLatin1(shown), line.size() > 80 ? QStringLiteral("…") : QString());
}

} // namespace

QByteArray AgeHeader::encodeBase64(QByteArrayView data) {
    return data.toByteArray().toBase64(QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals);
}

std::optional<QByteArray> AgeHeader::decodeBase64(QByteArrayView text) {
    if (text.size() % 4 == 1)
        return std::nullopt;
    QByteArray out;
    out.reserve(text.size() * 3 / 4);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = base64Value(c);
        if (v < 0)
            return std::nullopt;
        acc = (acc << 6) | uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.append(char((acc >> bits) & 0xff));
        }
    }
    // Leftover bits must be zero, or two different strings would decode to the same bytes.
    if ((acc & ((1u << bits) - 1)) != 0)
        return std::nullopt;
    return out;
}

bool AgeHeader::isValidArgument(QByteArrayView arg) {
    if (arg.isEmpty())
        return false;
    for (char c : arg) {
        if (uchar(c) < 0x21 || uchar(c) > 0x7e)
            return false;
    }
    return true;
}

QByteArray AgeHeader::encodeWithoutMac(const std::vector<AgeStanza> &stanzas) {
    QByteArray out = kMagic.toByteArray();
    for (const AgeStanza &s : stanzas) {
        out += "-> " + s.type;
        for (const QByteArray &a : s.args)
            out += ' ' + a;
        out += '\n';
        const QByteArray b64 = encodeBase64(s.body);
        qsizetype pos = 0;
        // Full 64-column lines, then always one short (possibly empty) line that ends the body.
        for (; b64.size() - pos >= kColumnsPerLine; pos += kColumnsPerLine) {
            out += QByteArrayView(b64).sliced(pos, kColumnsPerLine);
            out += '\n';
        }
        out += QByteArrayView(b64).sliced(pos);
        out += '\n';
    }
    out += "---";
    return out;
}

qsizetype AgeHeader::findEnd(QByteArrayView buf, qsizetype *scanPos) {
    qsizetype pos = *scanPos;
    while (pos < buf.size()) {
        const qsizetype nl = buf.indexOf('\n', pos);
        if (nl < 0)
            return -1; // wait for the rest of this line; *scanPos stays at its start
        // Base64 has no '-', so the first line starting "---" is the closing line.
        if (buf.sliced(pos, nl - pos).startsWith("---"))
            return nl + 1;
        pos = nl + 1;
        *scanPos = pos;
    }
    return -1;
}

std::optional<AgeHeader> AgeHeader::parse(QByteArrayView text, QString *error) {
    auto failed = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!text.startsWith(kMagic)) {
        if (text.startsWith("age-encryption.org/"))
            return failed(
                QStringLiteral("unsupported age format version %1").arg(quoted(text.first(text.indexOf('\n')))));
        return failed(QStringLiteral("not an age-encrypted file (the first line is not \"age-encryption.org/v1\")"));
    }
    AgeHeader h;
    qsizetype pos = kMagic.size();
    auto nextLine = [&](QByteArrayView *line) {
        const qsizetype nl = text.indexOf('\n', pos);
        if (nl < 0)
            return false;
        *line = text.sliced(pos, nl - pos);
        pos = nl + 1;
        return true;
    };
    QByteArrayView line;
    while (true) {
        const qsizetype lineStart = pos;
        if (!nextLine(&line))
            return failed(QStringLiteral("truncated header: no closing \"---\" line"));
        const QList<QByteArrayView> parts = [&] {
            QList<QByteArrayView> p;
            qsizetype from = 0;
            while (true) {
                const qsizetype sp = line.indexOf(' ', from);
                if (sp < 0) {
                    p.append(line.sliced(from));
                    return p;
                }
                p.append(line.sliced(from, sp - from));
                from = sp + 1;
            }
        }();
        if (line.startsWith("---")) {
            if (parts.size() != 2 || parts[0] != "---")
                return failed(QStringLiteral("malformed closing line %1").arg(quoted(line)));
            const auto mac = decodeBase64(parts[1]);
            if (!mac || mac->size() != 32)
                return failed(QStringLiteral("malformed header MAC in closing line %1").arg(quoted(line)));
            h.mac = *mac;
            h.macedBytes = text.first(lineStart + 3).toByteArray();
            if (pos != text.size())
                return failed(QStringLiteral("internal error: header length mismatch"));
            return h;
        }
        if (!line.startsWith("->"))
            return failed(QStringLiteral("unexpected header line %1").arg(quoted(line)));
        if (parts.size() < 2 || parts[0] != "->")
            return failed(QStringLiteral("malformed recipient stanza line %1").arg(quoted(line)));
        AgeStanza s;
        for (qsizetype i = 1; i < parts.size(); ++i) {
            if (!isValidArgument(parts[i]))
                return failed(QStringLiteral("malformed recipient stanza line %1").arg(quoted(line)));
            if (i == 1)
                s.type = parts[i].toByteArray();
            else
                s.args.append(parts[i].toByteArray());
        }
        while (true) {
            if (!nextLine(&line))
                return failed(QStringLiteral("truncated header inside a stanza body"));
            const auto bytes = decodeBase64(line);
            if (!bytes)
                return failed(QStringLiteral("malformed stanza body line %1").arg(quoted(line)));
            if (bytes->size() > kBytesPerLine)
                return failed(QStringLiteral("stanza body line too long %1").arg(quoted(line)));
            s.body += *bytes;
            if (bytes->size() < kBytesPerLine)
                break; // only the last line of a body is short
        }
        h.stanzas.push_back(std::move(s));
    }
}

int AgeHeader::base64Value(char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

} // namespace lifeboat
