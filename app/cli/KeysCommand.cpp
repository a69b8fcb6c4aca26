#include "KeysCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"
#include "CliSigning.h"

#include "catalog/AuditTrail.h"
#include "crypto/Ed25519.h"
#include "jobs/ManifestSigner.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

using namespace lifeboat;

namespace {
int list(CliContext &ctx, const ArgParser &) {
    const QString mine = ManifestSigner::installationKeyId();
    const QList<SigningKeyRecord> keys = ctx.catalog()->signingKeys();
    if (ctx.json()) {
        QJsonArray a;
        for (const SigningKeyRecord &k : keys)
            a.append(QJsonObject{{QStringLiteral("keyId"), k.keyId},
                                 {QStringLiteral("publicKey"), k.publicKey},
                                 {QStringLiteral("label"), k.label},
                                 {QStringLiteral("added"), k.added.toString(Qt::ISODate)},
                                 {QStringLiteral("thisInstallation"), k.keyId == mine}});
        ctx.printJson(a);
        return 0;
    }
    if (keys.isEmpty()) {
        ctx.err() << "No signing keys in the catalog yet: this installation's key is created by its first backup "
                     "(or `lifeboatctl keys export`)."
                  << Qt::endl;
        return 0;
    }
    for (const SigningKeyRecord &k : keys)
        ctx.out() << k.keyId << "  " << k.added.toString(Qt::ISODate) << "  " << k.publicKey << "  " << k.label
                  << (k.keyId == mine ? QStringLiteral("  [this installation]") : QString()) << '\n';
    ctx.out().flush();
    return 0;
}

int exportKey(CliContext &ctx, const ArgParser &p) {
    QString id = p.positional().value(0);
    if (id.isEmpty()) {
        // This installation's key, created now if this is its first use.
        QString why;
        if (!CliSigning::installSigner(ctx, &why))
            return ctx.fail(ExitCode::Usage, QStringLiteral("this installation has no signing key: %1 — choose a "
                                                            "secret store with `lifeboatctl secrets use keychain|file`")
                                                 .arg(why));
        id = ManifestSigner::installed()->keyId();
    }
    for (const SigningKeyRecord &k : ctx.catalog()->signingKeys()) {
        if (k.keyId != id)
            continue;
        if (ctx.json())
            ctx.printJson(QJsonObject{{QStringLiteral("keyId"), k.keyId},
                                      {QStringLiteral("publicKey"), k.publicKey},
                                      {QStringLiteral("label"), k.label}});
        else
            ctx.out() << k.publicKey << '\n';
        ctx.out().flush();
        return 0;
    }
    return ctx.usage(QStringLiteral("no signing key %1 in the catalog (see `lifeboatctl keys list`)").arg(id));
}

int trust(CliContext &ctx, const ArgParser &p) {
    QString text = p.positional().first();
    if (QFileInfo(text).isFile()) {
        QFile f(text);
        if (!f.open(QIODevice::ReadOnly) || f.size() > 64 * 1024)
            return ctx.usage(QStringLiteral("cannot read %1").arg(text));
        text = QString::fromUtf8(f.readAll()).trimmed().section(QLatin1Char('\n'), 0, 0);
    }
    const QByteArray pub = Ed25519::parsePublicKeyText(text);
    if (pub.isEmpty())
        return ctx.usage(QStringLiteral("\"%1\" is not an Ed25519 public key — give the line `lifeboatctl keys export` "
                                        "prints on the other installation (ed25519:BASE64), or a file holding it")
                             .arg(text.left(80)));
    if (!p.isSet(QStringLiteral("label")) || p.value(QStringLiteral("label")).trimmed().isEmpty())
        return ctx.usage(QStringLiteral("keys trust needs --label NAME (whose key it is)"));
    const SigningKeyRecord key{Ed25519::keyId(pub), Ed25519::publicKeyText(pub), p.value(QStringLiteral("label")),
                               QDateTime::currentDateTimeUtc()};
    QString err;
    if (!ctx.catalog()->addSigningKey(key, &err))
        return ctx.usage(err);
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("keyId"), key.keyId}});
    else
        ctx.err() << "Trusted signing key " << key.keyId << " (\"" << key.label
                  << "\"): manifests it signed now report \"signed by a known key\"." << Qt::endl;
    return 0;
}

int rotate(CliContext &ctx, const ArgParser &) {
    CliSecrets secrets(ctx);
    CredentialStore *store = secrets.persistentStore();
    Error e;
    const QString old = ManifestSigner::installationKeyId();
    auto signer = ManifestSigner::rotate(store, ctx.catalog().get(), CliSigning::installationLabel(ctx), &e);
    if (!signer)
        return ctx.fail(ExitCode::Usage, e ? e.message : secrets.lastMessage());
    AuditTrail::record(QStringLiteral("secret.set"), QString::fromLatin1(ManifestSigner::kSecretKey),
                       QStringLiteral("ok"), 0, QStringLiteral("new signing key %1").arg(signer->keyId()));
    ManifestSigner::install(signer);
    ctx.config().setOption(QStringLiteral("signingKeyId"), signer->keyId());
    if (!ctx.saveConfig())
        return 3;
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("keyId"), signer->keyId()},
                                  {QStringLiteral("publicKey"), signer->publicKeyText()},
                                  {QStringLiteral("previousKeyId"), old}});
    else
        ctx.err() << "New signing key " << signer->keyId() << " in " << store->backendName()
                  << (old.isEmpty() ? QString()
                                    : QStringLiteral("; the previous key %1 stays trusted for the manifests "
                                                     "it signed")
                                          .arg(old))
                  << ". Back the new key up, and run `lifeboatctl keys trust` with it on installations that trust the "
                     "old one."
                  << Qt::endl;
    return 0;
}
} // namespace

QList<CliCommand> KeysCommand::commands() {
    return {{QStringLiteral("keys"), QStringLiteral("list"), QString(), 0, 0, &list},
            {QStringLiteral("keys"), QStringLiteral("export"), QStringLiteral("[KEYID]"), 0, 1, &exportKey},
            {QStringLiteral("keys"), QStringLiteral("trust"), QStringLiteral("PUBKEY|FILE --label NAME"), 1, 1, &trust,
             cliOptions(R"(
--label NAME  Whose key this is, shown in reports (e.g. "DR site").)")},
            {QStringLiteral("keys"), QStringLiteral("rotate"), QString(), 0, 0, &rotate}};
}
