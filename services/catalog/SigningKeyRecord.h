#pragma once

#include <QDateTime>
#include <QString>

namespace lifeboat {

// A manifest signing key the catalog knows (schema 5): this installation's own public key, added on first use,
// and keys of other installations added with `lifeboatctl keys trust`. Only public keys: the private key stays in
// the secret store of the installation that made it.
struct SigningKeyRecord {
    QString keyId;     // Ed25519::keyId of the public key (32 hex digits)
    QString publicKey; // "ed25519:BASE64"
    QString label;     // who it belongs to ("backup01 (lifeboat)", "DR site")
    QDateTime added;
};

} // namespace lifeboat
