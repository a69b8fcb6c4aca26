#include "KeygenCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"

#include "catalog/ConfigStore.h"
#include "crypto/AgeIdentity.h"
#include "pipeline/AtomicFileSink.h"
#include "schedule/DrillIdentities.h"

#include <QFileInfo>
#include <QJsonObject>

using namespace lifeboat;

static int run(CliContext &ctx, const ArgParser &p) {
    const AgeKeyPair pair = AgeIdentity::generate();
    const QByteArray contents = pair.identityFileContents();
    // The file is opened before anything is stored, so an existing file refuses the whole command.
    std::optional<AtomicFileSink> file;
    if (p.isSet(QStringLiteral("out"))) {
        file.emplace(p.value(QStringLiteral("out")));
        file->setCreatePermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        if (!file->open())
            return ctx.fail(ExitCode::Usage, file->error().message + QStringLiteral(" — choose a new file name for "
                                                                                    "the identity"));
    }
    if (p.isSet(QStringLiteral("store"))) {
        const QString name = p.value(QStringLiteral("store"));
        if (!ConfigStore::isValidName(name))
            return ctx.usage(QStringLiteral("invalid identity name \"%1\"").arg(name));
        CliSecrets secrets(ctx);
        if (!secrets.store(CredentialStore::identityKey(name), pair.identity.secretKeyString()))
            return ctx.fail(ExitCode::Usage, secrets.lastMessage());
        // Listed (public half only) with the installation's keys, where drills find it (DrillIdentities).
        DrillIdentities::remember(ctx.config(), name, pair.recipient, QStringLiteral("keychain"), QString());
        if (!ctx.saveConfig())
            return 3;
        if (!p.isSet(QStringLiteral("out"))) { // kept in the store only: print just the public half
            if (ctx.json())
                ctx.printJson(
                    QJsonObject{{QStringLiteral("recipient"), pair.recipient}, {QStringLiteral("stored"), name}});
            else
                ctx.err() << "Identity \"" << name << "\" stored in " << secrets.backendName()
                          << ". Public key: " << pair.recipient << Qt::endl;
            return 0;
        }
    }
    if (file) {
        if (!file->write(contents) || !file->finish())
            return ctx.fail(file->error());
        if (!p.isSet(QStringLiteral("store"))) {
            const QFileInfo written(p.value(QStringLiteral("out")));
            DrillIdentities::remember(ctx.config(), written.completeBaseName(), pair.recipient, QStringLiteral("file"),
                                      written.absoluteFilePath());
            if (!ctx.saveConfig())
                return 3;
        }
        if (ctx.json())
            ctx.printJson(QJsonObject{{QStringLiteral("recipient"), pair.recipient},
                                      {QStringLiteral("file"), p.value(QStringLiteral("out"))}});
        else
            ctx.err() << "Public key: " << pair.recipient << Qt::endl;
        return 0;
    }
    if (ctx.json()) {
        ctx.printJson(QJsonObject{{QStringLiteral("recipient"), pair.recipient},
                                  {QStringLiteral("identity"), pair.identity.secretKeyString()}});
    } else {
        ctx.err() << "Public key: " << pair.recipient << Qt::endl;
        ctx.out() << QString::fromUtf8(contents);
    }
    return 0;
}

QList<CliCommand> KeygenCommand::commands() {
    return {{QStringLiteral("keygen"), {}, QStringLiteral("[--out FILE] [--store NAME]"), 0, 0, &run, cliOptions(R"(
--store NAME  Keep the identity in the credential store as NAME (for restore/verify --identity-name).
--out FILE  Write the identity to FILE (mode 0600; never overwritten) instead of stdout.)")}};
}
