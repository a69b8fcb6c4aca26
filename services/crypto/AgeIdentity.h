#pragma once

#include "crypto/AgeHeader.h"
#include "crypto/AgePrimitives.h"
#include "crypto/AgeRecipient.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

namespace lifeboat {

struct AgeKeyPair;

// Something that can open a file: an X25519 secret key ("AGE-SECRET-KEY-1…") or a passphrase. Holds secret
// material: it is wiped on destruction and never appears in error messages.
class AgeIdentity {
public:
    enum class Kind { X25519, Scrypt };
    // What unwrap() found. Invalid is a malformed stanza this identity is responsible for (e.g. a low-order X25519
    // share or an scrypt work factor above the limit): age treats that as a broken file, not as "try the next key".
    enum class Unwrap { Matched, NoMatch, Invalid };

    // "AGE-SECRET-KEY-1…" (upper-case Bech32, 32-byte key).
    static std::optional<AgeIdentity> parse(const QString &text, QString *error = nullptr);
    // age identity file: one key per line, '#' comments and blank lines ignored; at least one key.
    static std::optional<std::vector<AgeIdentity>> parseIdentityFile(const QByteArray &contents,
                                                                     QString *error = nullptr);
    static AgeIdentity passphrase(QByteArray passphrase, int maxWorkFactor = AgeRecipient::kMaxWorkFactor);
    // A fresh X25519 key pair from the OS random generator, like age-keygen.
    static AgeKeyPair generate();

    AgeIdentity(const AgeIdentity &) = default;
    AgeIdentity(AgeIdentity &&) = default;
    AgeIdentity &operator=(const AgeIdentity &) = default;
    AgeIdentity &operator=(AgeIdentity &&) = default;
    ~AgeIdentity();

    Kind kind() const { return m_kind; }
    bool isPassphrase() const { return m_kind == Kind::Scrypt; }
    // The matching public recipient; nullopt for a passphrase identity.
    std::optional<AgeRecipient> recipient() const;
    // SECRET: the "AGE-SECRET-KEY-1…" string, for writing a key file or a keychain entry only.
    QString secretKeyString() const;

    // Tries this identity against every stanza; on Matched, *fileKey holds the 16-byte file key.
    Unwrap unwrap(const std::vector<AgeStanza> &stanzas, QByteArray *fileKey, QString *error) const;

private:
    AgeIdentity() = default;
    Unwrap unwrapX25519(const AgeStanza &s, QByteArray *fileKey, QString *error) const;
    Unwrap unwrapScrypt(const AgeStanza &s, QByteArray *fileKey, QString *error) const;

    Kind m_kind = Kind::X25519;
    AgePrimitives::Key32 m_secretKey{};
    AgePrimitives::Key32 m_publicKey{};
    QByteArray m_passphrase;
    int m_maxWorkFactor = AgeRecipient::kMaxWorkFactor;
};

// A generated identity with its public half, and the key file age-keygen would write for it.
struct AgeKeyPair {
    AgeIdentity identity;
    QString recipient; // "age1…"

    // "# created: <RFC 3339>\n# public key: age1…\nAGE-SECRET-KEY-1…\n" (SECRET: write it 0600).
    QByteArray identityFileContents(const QDateTime &created = QDateTime::currentDateTimeUtc()) const;
};

} // namespace lifeboat
