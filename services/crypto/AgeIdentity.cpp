#include "crypto/AgeIdentity.h"

#include "crypto/Bech32.h"

#include <QList>

#include <openssl/crypto.h>

namespace lifeboat {

namespace {
constexpr QByteArrayView kX25519Label = "age-encryption.org/v1/X25519";
constexpr QByteArrayView kScryptLabel = "age-encryption.org/v1/scrypt";
constexpr QByteArrayView kSecretHrp = "AGE-SECRET-KEY-";

QByteArrayView view(const AgePrimitives::Key32 &k) {
    return {reinterpret_cast<const char *>(k.data()), qsizetype(k.size())};
}

// The wrapped file key must be exactly 16 bytes plus the tag; anything else is a malformed stanza, not a mismatch.
constexpr qsizetype kWrappedSize = AgePrimitives::kFileKeySize + AgePrimitives::kTagSize;
} // namespace

AgeIdentity::~AgeIdentity() {
    AgePrimitives::cleanse(m_secretKey);
    AgePrimitives::cleanse(m_passphrase);
}

std::optional<AgeIdentity> AgeIdentity::parse(const QString &text, QString *error) {
    QByteArray latin = text.trimmed().toLatin1();
    auto decoded = Bech32::decode(latin);
    AgePrimitives::cleanse(latin);
    if (!decoded || decoded->hrp != kSecretHrp || decoded->data.size() != 32) {
        if (decoded)
            AgePrimitives::cleanse(decoded->data);
        if (error) {
            *error = text.trimmed().startsWith(QLatin1String("age1"))
                         ? QStringLiteral("this is a public key (recipient), not a secret key")
                         : QStringLiteral("malformed age secret key: expected \"AGE-SECRET-KEY-1…\"");
        }
        return std::nullopt;
    }
    AgeIdentity id;
    id.m_kind = Kind::X25519;
    memcpy(id.m_secretKey.data(), decoded->data.constData(), 32);
    AgePrimitives::cleanse(decoded->data);
    const auto pub = AgePrimitives::x25519PublicKey(id.m_secretKey);
    if (!pub) {
        if (error)
            *error = QStringLiteral("could not derive the public key of an age secret key");
        return std::nullopt;
    }
    id.m_publicKey = *pub;
    return id;
}

std::optional<std::vector<AgeIdentity>> AgeIdentity::parseIdentityFile(const QByteArray &contents, QString *error) {
    std::vector<AgeIdentity> out;
    QList<QByteArray> lines = contents.split('\n');
    auto wipe = [&lines] {
        for (auto &l : lines)
            AgePrimitives::cleanse(l);
    };
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray &line = lines[i];
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        if (line.startsWith("-----BEGIN")) {
            if (error)
                *error = QStringLiteral("identity file line %1: an armored (encrypted) identity file is not supported; "
                                        "decrypt it with age first")
                             .arg(i + 1);
            wipe();
            return std::nullopt;
        }
        QString why;
        auto id = parse(QString::fromLatin1(line), &why);
        if (!id) {
            if (error)
                *error = QStringLiteral("identity file line %1: %2").arg(i + 1).arg(why);
            wipe();
            return std::nullopt;
        }
        out.push_back(std::move(*id));
    }
    wipe();
    if (out.empty()) {
        if (error)
            *error = QStringLiteral("no secret keys found in the identity file");
        return std::nullopt;
    }
    return out;
}

AgeIdentity AgeIdentity::passphrase(QByteArray passphrase, int maxWorkFactor) {
    AgeIdentity id;
    id.m_kind = Kind::Scrypt;
    id.m_passphrase = std::move(passphrase);
    id.m_maxWorkFactor = maxWorkFactor;
    return id;
}

AgeKeyPair AgeIdentity::generate() {
    AgeIdentity id;
    id.m_kind = Kind::X25519;
    std::optional<AgePrimitives::Key32> pub;
    // A random scalar is always a valid X25519 key (clamping happens inside); retry only on RNG failure.
    while (!pub) {
        if (!AgePrimitives::randomBytes(id.m_secretKey.data(), id.m_secretKey.size()))
            qFatal("lifeboat: the system random generator failed while generating an age key");
        pub = AgePrimitives::x25519PublicKey(id.m_secretKey);
    }
    id.m_publicKey = *pub;
    const QString recipient = AgeRecipient::fromPublicKey(*pub).toString();
    return AgeKeyPair{std::move(id), recipient};
}

std::optional<AgeRecipient> AgeIdentity::recipient() const {
    if (m_kind != Kind::X25519)
        return std::nullopt;
    return AgeRecipient::fromPublicKey(m_publicKey);
}

QString AgeIdentity::secretKeyString() const {
    if (m_kind != Kind::X25519)
        return {};
    return QString::fromLatin1(Bech32::encode(kSecretHrp, view(m_secretKey)));
}

AgeIdentity::Unwrap AgeIdentity::unwrap(const std::vector<AgeStanza> &stanzas, QByteArray *fileKey,
                                        QString *error) const {
    for (const AgeStanza &s : stanzas) {
        const Unwrap r = m_kind == Kind::X25519 ? unwrapX25519(s, fileKey, error) : unwrapScrypt(s, fileKey, error);
        if (r != Unwrap::NoMatch)
            return r;
    }
    return Unwrap::NoMatch;
}

AgeIdentity::Unwrap AgeIdentity::unwrapX25519(const AgeStanza &s, QByteArray *fileKey, QString *error) const {
    if (s.type != "X25519")
        return Unwrap::NoMatch;
    auto invalid = [error](const QString &why) {
        if (error)
            *error = why;
        return Unwrap::Invalid;
    };
    if (s.args.size() != 1)
        return invalid(QStringLiteral("invalid X25519 stanza: expected exactly one argument"));
    const auto share = AgeHeader::decodeBase64(s.args[0]);
    if (!share || share->size() != 32)
        return invalid(
            QStringLiteral("invalid X25519 stanza: the ephemeral share is not 32 bytes of canonical base64"));
    if (s.body.size() != kWrappedSize)
        return invalid(QStringLiteral("invalid X25519 stanza: the wrapped file key has the wrong size"));
    AgePrimitives::Key32 peer{};
    memcpy(peer.data(), share->constData(), 32);
    auto shared = AgePrimitives::x25519(m_secretKey, peer);
    if (!shared)
        return invalid(QStringLiteral("invalid X25519 stanza: the ephemeral share is a low-order point"));
    AgePrimitives::Key32 wrapKey{};
    const bool ok = AgePrimitives::hkdf(view(*shared), *share + view(m_publicKey).toByteArray(), kX25519Label,
                                        wrapKey.data(), wrapKey.size());
    AgePrimitives::cleanse(*shared);
    if (!ok)
        return invalid(QStringLiteral("HKDF failed"));
    const bool opened = AgePrimitives::openWithZeroNonce(wrapKey, s.body, *fileKey);
    AgePrimitives::cleanse(wrapKey);
    return opened ? Unwrap::Matched : Unwrap::NoMatch;
}

AgeIdentity::Unwrap AgeIdentity::unwrapScrypt(const AgeStanza &s, QByteArray *fileKey, QString *error) const {
    if (s.type != "scrypt")
        return Unwrap::NoMatch;
    auto invalid = [error](const QString &why) {
        if (error)
            *error = why;
        return Unwrap::Invalid;
    };
    if (s.args.size() != 2)
        return invalid(QStringLiteral("invalid scrypt stanza: expected a salt and a work factor"));
    const auto salt = AgeHeader::decodeBase64(s.args[0]);
    if (!salt || salt->size() != 16)
        return invalid(QStringLiteral("invalid scrypt stanza: the salt is not 16 bytes of canonical base64"));
    // Decimal without sign or leading zeros, so each work factor has exactly one spelling.
    const QByteArray &w = s.args[1];
    bool digits = !w.isEmpty() && w[0] >= '1' && w[0] <= '9' && w.size() <= 9;
    for (char c : w)
        digits = digits && c >= '0' && c <= '9';
    if (!digits)
        return invalid(QStringLiteral("invalid scrypt stanza: malformed work factor"));
    const int logN = w.toInt();
    if (logN > m_maxWorkFactor)
        return invalid(QStringLiteral("the scrypt work factor %1 exceeds the maximum of %2 (refusing the memory and "
                                      "time it would take)")
                           .arg(logN)
                           .arg(m_maxWorkFactor));
    if (s.body.size() != kWrappedSize)
        return invalid(QStringLiteral("invalid scrypt stanza: the wrapped file key has the wrong size"));
    AgePrimitives::Key32 wrapKey{};
    if (!AgePrimitives::scrypt(m_passphrase, kScryptLabel.toByteArray() + *salt, logN, wrapKey))
        return invalid(QStringLiteral("scrypt key derivation failed (work factor %1)").arg(logN));
    const bool opened = AgePrimitives::openWithZeroNonce(wrapKey, s.body, *fileKey);
    AgePrimitives::cleanse(wrapKey);
    return opened ? Unwrap::Matched : Unwrap::NoMatch;
}

QByteArray AgeKeyPair::identityFileContents(const QDateTime &created) const {
    return "# created: " + created.toString(Qt::ISODate).toLatin1() + "\n# public key: " + recipient.toLatin1() + '\n' +
           identity.secretKeyString().toLatin1() + '\n';
}

} // namespace lifeboat
