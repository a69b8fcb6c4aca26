#include "CliSigning.h"

#include "CliContext.h"
#include "CliSecrets.h"

#include "catalog/AuditTrail.h"
#include "jobs/ManifestSigner.h"

#include <QSysInfo>

using namespace lifeboat;

namespace {
const QString kKeyIdOption = QStringLiteral("signingKeyId");

bool writesManifests(const QStringList &a, bool *warn) {
    const QString cmd = a.value(0);
    const QString sub = a.value(1);
    *warn = cmd == QLatin1String("backup") || cmd == QLatin1String("basebackup") || cmd == QLatin1String("run-due") ||
            (cmd == QLatin1String("set") && (sub == QLatin1String("backup") || sub == QLatin1String("run-due"))) ||
            ((cmd == QLatin1String("files") || cmd == QLatin1String("redis")) && sub == QLatin1String("backup"));
    const bool restore =
        cmd == QLatin1String("restore") || (cmd == QLatin1String("set") && sub == QLatin1String("restore"));
    const bool help = a.contains(QStringLiteral("--help")) || a.contains(QStringLiteral("-h"));
    return (*warn || restore) && !help;
}
} // namespace

QString CliSigning::installationLabel(CliContext &ctx) {
    return QStringLiteral("%1:%2").arg(QSysInfo::machineHostName(), ctx.home());
}

bool CliSigning::installSigner(CliContext &ctx, QString *why, bool *created) {
    CliSecrets secrets(ctx);
    CredentialStore *store = secrets.persistentStore();
    if (!store) {
        *why = secrets.lastMessage();
        return false;
    }
    Error e;
    auto signer = ManifestSigner::loadOrCreate(store, ctx.catalog().get(), installationLabel(ctx), created, &e);
    if (!signer) {
        *why = e.message;
        return false;
    }
    if (created && *created)
        AuditTrail::record(QStringLiteral("secret.set"), QString::fromLatin1(ManifestSigner::kSecretKey),
                           QStringLiteral("ok"), 0, QStringLiteral("new signing key %1").arg(signer->keyId()));
    ManifestSigner::install(signer);
    if (ctx.config().option(kKeyIdOption) != signer->keyId()) {
        ctx.config().setOption(kKeyIdOption, signer->keyId());
        ctx.saveConfig();
    }
    return true;
}

void CliSigning::prepare(CliContext &ctx, const QStringList &commandAndArgs) {
    ManifestSigner::setInstallationKeyId(ctx.config().option(kKeyIdOption));
    bool warn = false;
    if (!writesManifests(commandAndArgs, &warn))
        return;
    QString why;
    bool created = false;
    if (installSigner(ctx, &why, &created)) {
        if (created)
            ctx.err() << "lifeboatctl: created this installation's manifest signing key "
                      << ManifestSigner::installed()->keyId()
                      << " in the secret store — back it up (docs/security.md, \"Manifest signing\")" << Qt::endl;
        return;
    }
    if (warn)
        ctx.err() << "lifeboatctl: warning: manifests will NOT be signed: " << why
                  << " — choose a secret store with `lifeboatctl secrets use keychain|file` (docs/security.md)"
                  << Qt::endl;
}
