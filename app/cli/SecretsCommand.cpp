#include "SecretsCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"

#include "secrets/KeychainProbe.h"

#include <QJsonObject>

using namespace lifeboat;

static int status(CliContext &ctx, const ArgParser &p) {
    Q_UNUSED(p)
    const KeychainStatus keychain = KeychainProbe::detect();
    const QString backend = ctx.config().option(QStringLiteral("secretsBackend"), QStringLiteral("auto"));
    CliSecrets secrets(ctx);
    const QString inEffect = backend == QLatin1String("file")
                                 ? QStringLiteral("encrypted file %1/secrets.age").arg(ctx.home())
                                 : secrets.describe();
    if (ctx.json()) {
        ctx.printJson(QJsonObject{{QStringLiteral("backend"), backend},
                                  {QStringLiteral("inEffect"), inEffect},
                                  {QStringLiteral("keychainAvailable"), keychain.available()},
                                  {QStringLiteral("keychain"), keychain.message}});
    } else {
        ctx.out() << "backend:   " << backend << '\n'
                  << "in effect: " << inEffect << '\n'
                  << "keychain:  " << (keychain.available() ? QStringLiteral("available") : keychain.message) << '\n';
        ctx.out().flush();
    }
    return 0;
}

static int use(CliContext &ctx, const ArgParser &p) {
    const QString backend = p.positional().first();
    if (backend != QLatin1String("keychain") && backend != QLatin1String("file") &&
        backend != QLatin1String("prompt") && backend != QLatin1String("auto"))
        return ctx.usage(QStringLiteral("secrets use takes keychain, file, prompt or auto"));
    if (backend == QLatin1String("keychain") && !KeychainProbe::detect().available())
        ctx.err() << "lifeboatctl: warning: no keychain answers right now: " << KeychainProbe::detect().message
                  << Qt::endl;
    ctx.config().setOption(QStringLiteral("secretsBackend"),
                           backend == QLatin1String("keychain") ? QStringLiteral("auto") : backend);
    if (p.isSet(QStringLiteral("passphrase-env")))
        ctx.config().setOption(QStringLiteral("secretsPassphraseEnv"), p.value(QStringLiteral("passphrase-env")));
    if (!ctx.saveConfig())
        return 3;
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("backend"), backend}});
    else
        ctx.err() << "Secrets backend: " << backend << Qt::endl;
    return 0;
}

QList<CliCommand> SecretsCommand::commands() {
    return {
        {QStringLiteral("secrets"), QStringLiteral("status"), QString(), 0, 0, &status},
        {QStringLiteral("secrets"), QStringLiteral("use"),
         QStringLiteral("keychain|file|prompt|auto [--passphrase-env VAR]"), 1, 1, &use, cliOptions(R"(
--passphrase-env VAR  For the file store: the environment variable holding its passphrase (default
    LIFEBOAT_SECRETS_PASSPHRASE).)")},
    };
}
