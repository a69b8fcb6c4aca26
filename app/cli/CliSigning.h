#pragma once

#include <QString>
#include <QStringList>

class CliContext;

// Manifest signing for one lifeboatctl run. Every command learns this installation's key id from the settings
// (so restores can say "signed by this installation"); commands that write manifests (backups of every kind, and
// restores, whose production safety backup writes one) also load the signing key from the secret store, creating it
// on first use. Without a store that keeps secrets, manifests are written unsigned and backup commands warn.
class CliSigning {
public:
    static void prepare(CliContext &ctx, const QStringList &commandAndArgs);
    // Loads (or creates) the key and installs it for this process; false with *why when there is none.
    static bool installSigner(CliContext &ctx, QString *why, bool *created = nullptr);
    // The label this installation's public key gets in the catalog: "HOST:HOME".
    static QString installationLabel(CliContext &ctx);
};
