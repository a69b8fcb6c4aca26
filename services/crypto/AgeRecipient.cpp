#include "crypto/AgeRecipient.h"

#include "crypto/Bech32.h"

#include <QList>

namespace lifeboat {

namespace {
constexpr QByteArrayView kX25519Label = "age-encryption.org/v1/X25519";
constexpr QByteArrayView kScryptLabel = "age-encryption.org/v1/scrypt";
constexpr int kScryptSaltSize = 16;

QByteArrayView view(const AgePrimitives::Key32 &k) {
    return {reinterpret_cast<const char *>(k.data()), qsizetype(k.size())};
}
} // namespace

AgeRecipient::~AgeRecipient() {
    AgePrimitives::cleanse(m_passphrase);
}

std::optional<AgeRecipient> AgeRecipient::parse(const QString &text, QString *error) {
    const QString trimmed = text.trimmed();
    const auto decoded = Bech32::decode(trimmed.toLatin1());
    if (!decoded || decoded->hrp != "age" || decoded->data.size() != 32) {
        if (error) {
            *error =
                trimmed.startsWith(QLatin1String("AGE-SECRET-KEY-"), Qt::CaseInsensitive)
                    ? QStringLiteral("this is a secret key (identity), not a recipient; give its \"age1…\" public key")
                    : QStringLiteral("malformed age recipient: expected \"age1…\" (an X25519 public key)");
        }
        return std::nullopt;
    }
    AgeRecipient r;
    r.m_kind = Kind::X25519;
    memcpy(r.m_publicKey.data(), decoded->data.constData(), 32);
    return r;
}

std::optional<std::vector<AgeRecipient>> AgeRecipient::parseRecipientsFile(const QByteArray &contents, QString *error) {
    std::vector<AgeRecipient> out;
    const QList<QByteArray> lines = contents.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        QString why;
        auto r = parse(QString::fromLatin1(line), &why);
        if (!r) {
            if (error)
                *error = QStringLiteral("recipients file line %1: %2").arg(i + 1).arg(why);
            return std::nullopt;
        }
        out.push_back(std::move(*r));
    }
    if (out.empty()) {
        if (error)
            *error = QStringLiteral("no recipients found in the recipients file");
        return std::nullopt;
    }
    return out;
}

AgeRecipient AgeRecipient::passphrase(QByteArray passphrase, int workFactor) {
    AgeRecipient r;
    r.m_kind = Kind::Scrypt;
    r.m_passphrase = std::move(passphrase);
    r.m_workFactor = workFactor;
    return r;
}

AgeRecipient AgeRecipient::fromPublicKey(const AgePrimitives::Key32 &publicKey) {
    AgeRecipient r;
    r.m_kind = Kind::X25519;
    r.m_publicKey = publicKey;
    return r;
}

QString AgeRecipient::toString() const {
    if (m_kind == Kind::Scrypt)
        return QStringLiteral("scrypt");
    return QString::fromLatin1(Bech32::encode("age", view(m_publicKey)));
}

bool AgeRecipient::wrap(QByteArrayView fileKey, AgeStanza *stanza, QString *error) const {
    auto failed = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    AgePrimitives::Key32 wrapKey{};
    if (m_kind == Kind::Scrypt) {
        if (m_workFactor < 1 || m_workFactor > kMaxWorkFactor)
            return failed(QStringLiteral("scrypt work factor %1 is out of range (1-%2; stock age refuses more than %2)")
                              .arg(m_workFactor)
                              .arg(kMaxWorkFactor));
        if (m_passphrase.isEmpty())
            return failed(QStringLiteral("the passphrase is empty"));
        unsigned char salt[kScryptSaltSize];
        if (!AgePrimitives::randomBytes(salt, sizeof salt))
            return failed(QStringLiteral("the system random generator failed"));
        const QByteArrayView saltView(reinterpret_cast<const char *>(salt), kScryptSaltSize);
        if (!AgePrimitives::scrypt(m_passphrase, kScryptLabel.toByteArray() + saltView.toByteArray(), m_workFactor,
                                   wrapKey))
            return failed(QStringLiteral("scrypt key derivation failed (work factor %1)").arg(m_workFactor));
        stanza->type = "scrypt";
        stanza->args = {AgeHeader::encodeBase64(saltView), QByteArray::number(m_workFactor)};
    } else {
        AgePrimitives::Key32 ephemeral{};
        if (!AgePrimitives::randomBytes(ephemeral.data(), ephemeral.size()))
            return failed(QStringLiteral("the system random generator failed"));
        const auto share = AgePrimitives::x25519PublicKey(ephemeral);
        auto shared = AgePrimitives::x25519(ephemeral, m_publicKey);
        AgePrimitives::cleanse(ephemeral);
        if (!share || !shared)
            return failed(QStringLiteral("X25519 key agreement failed for recipient %1").arg(toString()));
        const QByteArray salt = view(*share).toByteArray() + view(m_publicKey).toByteArray();
        const bool ok = AgePrimitives::hkdf(view(*shared), salt, kX25519Label, wrapKey.data(), wrapKey.size());
        AgePrimitives::cleanse(*shared);
        if (!ok)
            return failed(QStringLiteral("HKDF failed"));
        stanza->type = "X25519";
        stanza->args = {AgeHeader::encodeBase64(view(*share))};
    }
    stanza->body = AgePrimitives::sealWithZeroNonce(wrapKey, fileKey);
    AgePrimitives::cleanse(wrapKey);
    if (stanza->body.isEmpty())
        return failed(QStringLiteral("wrapping the file key failed"));
    return true;
}

} // namespace lifeboat
