#include "RestoreCliSupport.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"

#include "pg/Conninfo.h"
#include "restore/SafetyBackup.h"

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

std::optional<RestoreCliSupport::Target> RestoreCliSupport::target(CliContext &ctx, CliSecrets &secrets,
                                                                   const ArgParser &p, const QString &spec, int *rc) {
    Target t;
    const bool stdinPw = p.isSet(QStringLiteral("password-stdin"));
    const QString envVar = p.value(QStringLiteral("secret-env"));
    if (const auto profile = ctx.config().profile(spec)) {
        t.conninfo = profile->conninfo;
        t.profile = profile->name;
        t.production = profile->production;
        t.postRestoreCommand = profile->postRestoreCommand;
        t.storages = profile->defaultStorages;
        t.password = secrets.profilePassword(profile->name, stdinPw, envVar);
        return t;
    }
    if (!spec.contains(QLatin1Char('=')) && !spec.contains(QLatin1String("://"))) {
        *rc = ctx.usage(QStringLiteral("\"%1\" is neither a profile (see `lifeboatctl profile list`) nor a connection "
                                       "URI / conninfo")
                            .arg(spec));
        return std::nullopt;
    }
    Error err;
    const Conninfo ci = Conninfo::parse(spec, &err);
    if (!ci.isValid()) {
        *rc = ctx.fail(err);
        return std::nullopt;
    }
    if (!ci.password().isEmpty()) {
        // A command line is visible to every user of the machine (ps, /proc): refused before anything runs, as a
        // password in any other option would be.
        *rc = ctx.usage(QStringLiteral("--target: a password inside the connection string is refused (a command "
                                       "line is visible to other users) — remove it and give it with "
                                       "--password-stdin or --secret-env VAR, keep it in ~/.pgpass, or add a "
                                       "profile (`lifeboatctl profile add NAME --conninfo URI --password-stdin`) and "
                                       "pass --target NAME"));
        return std::nullopt;
    }
    t.conninfo = ci.toKeywordString();
    if (stdinPw)
        t.password = CliContext::readSecretFromStdin();
    else if (!envVar.isEmpty())
        t.password = qEnvironmentVariable(envVar.toUtf8().constData());
    return t;
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

QList<lifeboat::RestoreJob::Request::ProductionServer>
RestoreCliSupport::productionServers(CliContext &ctx, CliSecrets &secrets, const QString &targetProfile,
                                     const QHash<QString, QString> &storageSecrets, const QString &pgToolDir) {
    using namespace lifeboat;
    QList<RestoreJob::Request::ProductionServer> out;
    const QList<StorageConfig> storages = ctx.config().storages();
    for (const Profile &prod : ctx.config().profiles()) {
        if (!prod.production || prod.name == targetProfile)
            continue;
        RestoreJob::Request::ProductionServer ps;
        ps.profile = prod.name;
        ps.conninfo = prod.conninfo;
        // Never asked for on a terminal: only a stored password (else libpq's own sources).
        if (CredentialStore *store = secrets.persistentStore())
            ps.password = store->read(CredentialStore::profilePasswordKey(prod.name)).value_or(QString());
        ps.safetyBackup = SafetyBackup::factory(prod, ps.password, storages, storageSecrets, ctx.catalog(), pgToolDir);
        ps.safetyBackupOf = SafetyBackup::factoryOf(prod, storages, storageSecrets, ctx.catalog(), pgToolDir);
        out << ps;
    }
    return out;
}
