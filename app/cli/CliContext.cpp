#include "CliContext.h"

#include "catalog/AuditTrail.h"

#include "CliSecrets.h"

#include "catalog/CatalogFactory.h"
#include "core/ChildEnvironment.h"
#include "core/Home.h"
#include "jobs/StartupRecovery.h"
#include "secrets/EncryptedFileCredentialStore.h"
#include "secrets/KeychainCredentialStore.h"
#include "secrets/KeychainProbe.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace lifeboat;

namespace {
// What a crashed or killed run left behind — its IN_PROGRESS record, .partial files, open multipart uploads,
// password files, scratch and sandbox clusters — is cleaned before any command runs (StartupRecovery). S3
// credentials are looked up as every command does, and only when a dead run was writing to a bucket. Each item is
// a line with --verbose (of the command that happens to run), otherwise one summary line; the record's error says
// what became of its copies.
void recoverInterruptedRuns(CliContext &ctx, Catalog &catalog) {
    // Recovery runs before every command, maybe on a terminal that expects no question (`lifeboatctl list`): the
    // S3 secret comes from the keychain or the secrets file's passphrase variable only, never from a prompt; without
    // it the cleanup stays pending on the record.
    const auto secretFor = [&ctx](const QString &storage) -> QString {
        const auto sc = ctx.config().storage(storage);
        if (!sc || !sc->isS3() || sc->accessKeyId.isEmpty())
            return {};
        const QString key = CredentialStore::storageSecretKey(storage);
        std::unique_ptr<CredentialStore> store;
        if (ctx.config().option(QStringLiteral("secretsBackend"), QStringLiteral("auto")) == QLatin1String("file")) {
            const QString var = ctx.config().option(QStringLiteral("secretsPassphraseEnv"),
                                                    QStringLiteral("LIFEBOAT_SECRETS_PASSPHRASE"));
            const QByteArray pass = qgetenv(var.toLocal8Bit().constData());
            if (!pass.isEmpty())
                store =
                    std::make_unique<EncryptedFileCredentialStore>(ctx.home() + QStringLiteral("/secrets.age"), pass);
        } else if (KeychainProbe::detect().available()) {
            store = std::make_unique<KeychainCredentialStore>();
        }
        const QString value = store ? store->read(key).value_or(QString()) : QString();
        ChildEnvironment::registerSecret(value);
        return value;
    };
    StartupRecovery recovery(catalog, ctx.config().storages(), secretFor);
    const StartupRecovery::Report report = recovery.run();
    if (report.isEmpty())
        return;
    if (QCoreApplication::arguments().contains(QStringLiteral("--verbose"))) {
        for (const QString &line : report.lines)
            ctx.err() << "lifeboatctl: recovery: " << line << Qt::endl;
    } else {
        ctx.err() << "lifeboatctl: cleaned up after an interrupted run: " << report.summary()
                  << " (--verbose lists each item)" << Qt::endl;
    }
}
} // namespace

CliContext::CliContext(QString home, bool json)
    : m_home(std::move(home))
    , m_json(json)
    , m_config(Home::configPath(m_home))
    , m_out(stdout)
    , m_err(stderr) {}

bool CliContext::open() {
    QString error;
    if (!Home::ensure(m_home, &error) || !m_config.load(&error)) {
        fail(ExitCode::Usage, error);
        return false;
    }
    auto catalog = CatalogFactory::fromConfig(m_config, m_home, m_catalogUri);
    if (!catalog->open(&error)) {
        fail(ExitCode::Usage, error);
        return false;
    }
    m_catalog = catalog;
    // Every action of this run goes into the catalog's audit trail, written synchronously (a row exists when the
    // command returns).
    AuditTrail::install(catalog, QStringLiteral("cli"), false);
    recoverInterruptedRuns(*this, *catalog);
    return true;
}

CliContext::~CliContext() {
    if (m_catalog)
        AuditTrail::uninstall();
}

std::shared_ptr<SqlCatalog> CliContext::catalogFor(const QString &uri, const QString &home) {
    return CatalogFactory::forUri(uri, home);
}

int CliContext::fail(ExitCode code, const QString &message) {
    m_err << "lifeboatctl: " << message << Qt::endl;
    if (m_json) {
        printJson(QJsonObject{{QStringLiteral("ok"), false},
                              {QStringLiteral("exitCode"), toInt(code)},
                              {QStringLiteral("error"), message}});
    }
    return toInt(code);
}

void CliContext::printJson(const QJsonValue &v) {
    const QJsonDocument doc = v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
    m_out << doc.toJson(QJsonDocument::Indented);
    m_out.flush();
}

bool CliContext::saveConfig() {
    QString error;
    if (!m_config.save(&error)) {
        fail(ExitCode::Usage, error);
        return false;
    }
    return true;
}

QString CliContext::readSecretFromStdin() {
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return {};
    QByteArray line = in.readLine();
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    const QString secret = QString::fromUtf8(line);
    ChildEnvironment::registerSecret(secret); // never passed on to a child process
    return secret;
}
