#include "RestoreCliSupport.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"

#include <QFile>
#include <QJsonObject>

using namespace lifeboat;

CliOptions RestoreCliSupport::identityOptions() {
    return {{QStringLiteral("identity"),
             QStringLiteral("age identity file to decrypt an encrypted backup (repeatable)."), QStringLiteral("FILE")},
            {QStringLiteral("identity-name"),
             QStringLiteral("age identity kept in the credential store by `keygen --store NAME` (repeatable)."),
             QStringLiteral("NAME")},
            {QStringLiteral("passphrase-stdin"), QStringLiteral("Read the backup's passphrase from stdin.")}};
}

CliOptions RestoreCliSupport::passwordOptions() {
    return {{QStringLiteral("password-stdin"), QStringLiteral("Read the target server's password from stdin.")},
            {QStringLiteral("secret-env"), QStringLiteral("Read the target server's password from this variable."),
             QStringLiteral("VAR")}};
}

std::optional<std::vector<AgeIdentity>> RestoreCliSupport::identities(CliContext &ctx, const ArgParser &p, int *rc) {
    std::vector<AgeIdentity> out;
    if (p.isSet(QStringLiteral("passphrase-stdin")) && p.isSet(QStringLiteral("password-stdin"))) {
        *rc = ctx.usage(QStringLiteral("--password-stdin and --passphrase-stdin both read stdin; use --secret-env for "
                                       "the password"));
        return std::nullopt;
    }
    for (const QString &path : p.values(QStringLiteral("identity"))) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            *rc = ctx.usage(QStringLiteral("cannot read identity file %1: %2").arg(path, f.errorString()));
            return std::nullopt;
        }
        QString err;
        auto ids = AgeIdentity::parseIdentityFile(f.readAll(), &err);
        if (!ids) {
            *rc = ctx.usage(QStringLiteral("identity file %1: %2").arg(path, err));
            return std::nullopt;
        }
        for (auto &id : *ids)
            out.push_back(std::move(id));
    }
    if (p.isSet(QStringLiteral("identity-name"))) {
        CliSecrets secrets(ctx);
        for (const QString &name : p.values(QStringLiteral("identity-name"))) {
            const QString key = secrets.secret(CredentialStore::identityKey(name), false, {});
            QString err;
            const auto id = key.isEmpty() ? std::nullopt : AgeIdentity::parse(key, &err);
            if (!id) {
                *rc = ctx.usage(QStringLiteral("no usable identity \"%1\" in %2 — store one with `lifeboatctl keygen "
                                               "--store %1`")
                                    .arg(name, secrets.describe()));
                return std::nullopt;
            }
            out.push_back(*id);
        }
    }
    if (p.isSet(QStringLiteral("passphrase-stdin"))) {
        const QString pass = CliContext::readSecretFromStdin();
        if (pass.isEmpty()) {
            *rc = ctx.usage(QStringLiteral("--passphrase-stdin: no passphrase on stdin"));
            return std::nullopt;
        }
        out.push_back(AgeIdentity::passphrase(pass.toUtf8()));
    }
    return out;
}

std::optional<QString> RestoreCliSupport::givenPassword(CliSecrets &secrets, const ArgParser &p) {
    const bool stdinPw = p.isSet(QStringLiteral("password-stdin"));
    const QString envVar = p.value(QStringLiteral("secret-env"));
    if (!stdinPw && envVar.isEmpty())
        return std::nullopt;
    return secrets.secret(QString(), stdinPw, envVar);
}

MemoryCredentialStore RestoreCliSupport::readSecrets(CliSecrets &secrets, const QStringList &asked,
                                                     const QStringList &storedOnly) {
    MemoryCredentialStore out;
    for (const QString &key : asked) {
        const QString value = secrets.secret(key, false, {});
        if (!value.isEmpty())
            out.write(key, value);
    }
    if (storedOnly.isEmpty())
        return out;
    // Never asked for on a terminal: only a stored secret (else libpq's own sources).
    if (CredentialStore *store = secrets.persistentStore())
        for (const QString &key : storedOnly)
            if (const auto value = store->read(key))
                out.write(key, *value);
    return out;
}

UseCaseContext RestoreCliSupport::useCaseContext(CliContext &ctx, CredentialStore *secrets) {
    UseCaseContext uc;
    uc.catalog = ctx.catalog();
    uc.config = ctx.config();
    uc.secrets = secrets;
    uc.warn = [&ctx](const QString &message) { ctx.err() << "lifeboatctl: warning: " << message << Qt::endl; };
    return uc;
}

void RestoreCliSupport::printChecks(CliContext &ctx, const QJsonArray &checks) {
    if (checks.isEmpty())
        return;
    ctx.err() << "Safety checks:" << Qt::endl;
    for (const QJsonValue &v : checks) {
        const QJsonObject c = v.toObject();
        ctx.err() << "  [" << c.value(QStringLiteral("outcome")).toString().leftJustified(7) << "] "
                  << c.value(QStringLiteral("title")).toString() << ": " << c.value(QStringLiteral("detail")).toString()
                  << Qt::endl;
    }
}
