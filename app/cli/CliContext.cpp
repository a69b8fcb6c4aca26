#include "CliContext.h"

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
    const QString uri = m_catalogUri.isEmpty() ? m_config.option(QStringLiteral("catalogUri")) : m_catalogUri;
    auto catalog = catalogFor(uri, m_home);
    if (!catalog->open(&error)) {
        fail(ExitCode::Usage, error);
        return false;
    }
    catalog->recoverInterrupted(QSysInfo::machineHostName());
    m_catalog = catalog;
    return true;
}

std::shared_ptr<SqlCatalog> CliContext::catalogFor(const QString &uri, const QString &home) {
    const QString u = uri.trimmed();
    if (u.startsWith(QLatin1String("postgresql://")) || u.startsWith(QLatin1String("postgres://")) ||
        u.contains(QLatin1Char('=')))
        return std::make_shared<SqlCatalog>(QStringLiteral("QPSQL"), u); // libpq expands a URI given as dbname
    if (u.startsWith(QLatin1String("sqlite:")))
        return std::make_shared<SqlCatalog>(QStringLiteral("QSQLITE"), u.mid(7));
    return std::make_shared<SqlCatalog>(QStringLiteral("QSQLITE"), u.isEmpty() ? Home::catalogPath(home) : u);
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
