#pragma once

#include "crypto/AgeHeader.h"
#include "crypto/AgePrimitives.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace lifeboat {

// Someone a file is encrypted to: an X25519 public key ("age1…") or a passphrase (age's scrypt recipient).
// Only public data is ever shown (toString); a passphrase recipient describes itself as "scrypt".
class AgeRecipient {
public:
    enum class Kind { X25519, Scrypt };
    static constexpr int kDefaultWorkFactor = 18;
    static constexpr int kMaxWorkFactor = 22; // what stock age accepts when decrypting

    // "age1…" (lower-case Bech32, 32-byte key). On failure, *error says why, without echoing the input.
    static std::optional<AgeRecipient> parse(const QString &text, QString *error = nullptr);
    // One recipient per line; '#' comments and blank lines are ignored (age's recipients-file format).
    static std::optional<std::vector<AgeRecipient>> parseRecipientsFile(const QByteArray &contents,
                                                                        QString *error = nullptr);
    // The file key wrapped with scrypt(passphrase, 2^workFactor); must be the file's only recipient.
    static AgeRecipient passphrase(QByteArray passphrase, int workFactor = kDefaultWorkFactor);
    static AgeRecipient fromPublicKey(const AgePrimitives::Key32 &publicKey);

    AgeRecipient(const AgeRecipient &) = default;
    AgeRecipient(AgeRecipient &&) = default;
    AgeRecipient &operator=(const AgeRecipient &) = default;
    AgeRecipient &operator=(AgeRecipient &&) = default;
    ~AgeRecipient();

    Kind kind() const { return m_kind; }
    bool isPassphrase() const { return m_kind == Kind::Scrypt; }
    int workFactor() const { return m_workFactor; }
    QString toString() const;

    // Builds this recipient's stanza for a 16-byte file key. False (with *error) on a bad work factor or an
    // OpenSSL failure.
    bool wrap(QByteArrayView fileKey, AgeStanza *stanza, QString *error) const;

private:
    AgeRecipient() = default;

    Kind m_kind = Kind::X25519;
    AgePrimitives::Key32 m_publicKey{};
    QByteArray m_passphrase;
    int m_workFactor = kDefaultWorkFactor;
};

} // namespace lifeboat
