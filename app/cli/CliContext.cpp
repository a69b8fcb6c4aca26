#include "CliContext.h"

#include "catalog/CatalogFactory.h"
#include "core/ChildEnvironment.h"
#include "core/Home.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>

#include <cstdio>

using namespace lifeboat;

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
    catalog->recoverInterrupted(QSysInfo::machineHostName());
    m_catalog = catalog;
    return true;
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
