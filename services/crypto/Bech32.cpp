#include "crypto/Bech32.h"

#include <openssl/crypto.h>

#include <cstdint>
#include <vector>

namespace lifeboat {

namespace {

constexpr char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

uint32_t polymod(const std::vector<uint8_t> &values) {
    static constexpr uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    uint32_t chk = 1;
    for (uint8_t v : values) {
        const uint32_t top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v;
        for (int i = 0; i < 5; ++i) {
            if ((top >> i) & 1)
                chk ^= kGen[i];
        }
    }
    return chk;
}

std::vector<uint8_t> hrpExpand(QByteArrayView lowerHrp) {
    std::vector<uint8_t> out;
    out.reserve(size_t(lowerHrp.size()) * 2 + 1);
    for (char c : lowerHrp)
        out.push_back(uint8_t(uint8_t(c) >> 5));
    out.push_back(0);
    for (char c : lowerHrp)
        out.push_back(uint8_t(uint8_t(c) & 31));
    return out;
}

// Regroups bits; with pad=false it rejects leftover bits that are non-zero or a whole group long, as BIP 173 requires.
std::optional<std::vector<uint8_t>> convertBits(const uint8_t *in, size_t len, int fromBits, int toBits, bool pad) {
    uint32_t acc = 0;
    int bits = 0;
    const uint32_t maxv = (1u << toBits) - 1;
    std::vector<uint8_t> out;
    out.reserve(len * size_t(fromBits) / size_t(toBits) + 1);
    for (size_t i = 0; i < len; ++i) {
        if ((in[i] >> fromBits) != 0)
            return std::nullopt;
        acc = (acc << fromBits) | in[i];
        bits += fromBits;
        while (bits >= toBits) {
            bits -= toBits;
            out.push_back(uint8_t((acc >> bits) & maxv));
        }
    }
    if (pad) {
        if (bits > 0)
            out.push_back(uint8_t((acc << (toBits - bits)) & maxv));
    } else if (bits >= fromBits || ((acc << (toBits - bits)) & maxv) != 0) {
        return std::nullopt;
    }
    return out;
}

} // namespace

QByteArray Bech32::encode(QByteArrayView hrp, QByteArrayView data) {
    const QByteArray lowerHrp = hrp.toByteArray().toLower();
    const bool upper = lowerHrp != hrp;
    const auto values =
        convertBits(reinterpret_cast<const uint8_t *>(data.data()), size_t(data.size()), 8, 5, true).value();
    std::vector<uint8_t> check = hrpExpand(lowerHrp);
    check.insert(check.end(), values.begin(), values.end());
    check.insert(check.end(), 6, 0);
    const uint32_t mod = polymod(check) ^ 1;

    QByteArray out = lowerHrp;
    out.append('1');
    for (uint8_t v : values)
        out.append(kCharset[v]);
    for (int i = 0; i < 6; ++i)
        out.append(kCharset[(mod >> (5 * (5 - i))) & 31]);
    return upper ? out.toUpper() : out;
}

std::optional<Bech32::Decoded> Bech32::decode(QByteArrayView text) {
    const QByteArray lower = text.toByteArray().toLower();
    if (lower != text && text.toByteArray().toUpper() != text)
        return std::nullopt; // mixed case
    const qsizetype pos = lower.lastIndexOf('1');
    if (pos < 1 || pos + 7 > lower.size())
        return std::nullopt;
    for (qsizetype i = 0; i < pos; ++i) {
        const auto c = uint8_t(lower[i]);
        if (c < 33 || c > 126)
            return std::nullopt;
    }
    std::vector<uint8_t> values;
    values.reserve(size_t(lower.size() - pos - 1));
    for (qsizetype i = pos + 1; i < lower.size(); ++i) {
        const char *hit = nullptr;
        for (const char *p = kCharset; *p; ++p) {
            if (*p == lower[i]) {
                hit = p;
                break;
            }
        }
        if (!hit)
            return std::nullopt;
        values.push_back(uint8_t(hit - kCharset));
    }
    std::vector<uint8_t> check = hrpExpand(QByteArrayView(lower).first(pos));
    check.insert(check.end(), values.begin(), values.end());
    if (polymod(check) != 1)
        return std::nullopt;
    auto bytes = convertBits(values.data(), values.size() - 6, 5, 8, false);
    if (!bytes)
        return std::nullopt;
    Decoded d;
    d.hrp = text.first(pos).toByteArray();
    d.data = QByteArray(reinterpret_cast<const char *>(bytes->data()), qsizetype(bytes->size()));
    // Identities pass through here: don't leave copies of secret keys in freed heap memory.
    OPENSSL_cleanse(bytes->data(), bytes->size());
    OPENSSL_cleanse(values.data(), values.size());
    return d;
}

} // namespace lifeboat
