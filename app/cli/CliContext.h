#pragma once

#include "catalog/ConfigStore.h"
#include "catalog/SqlCatalog.h"
#include "core/CredentialStore.h"
#include "core/ExitCode.h"

#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <memory>

// What every lifeboatctl command shares: the home (settings + catalog), output conventions (--json on stdout,
// human text and progress on stderr) and the exit codes of ARCHITECTURE.md.
class CliContext {
public:
    CliContext(QString home, bool json);
    // Ends the audit trail this context installed while QCoreApplication still exists: its catalog is released
    // here, not in static destruction after the application is gone (as the desktop app's AppContext does).
    ~CliContext();
    CliContext(const CliContext &) = delete;
    CliContext &operator=(const CliContext &) = delete;

    // Opens settings and the catalog; on failure prints the error and returns false. The catalog is the SQLite
    // file in the home unless --catalog URI or the catalogUri setting names another (see openCatalog).
    bool open();
    void setCatalogUri(const QString &uri) { m_catalogUri = uri; }
    QString catalogUri() const { return m_catalogUri; } // as given (--catalog), empty otherwise
    // "postgresql://…" / "postgres://…" or a libpq conninfo ("host=… dbname=…"): the shared QPSQL catalog;
    // "sqlite:PATH" or a plain path: an SQLite file. Empty: the home's catalog.sqlite.
    static std::shared_ptr<lifeboat::SqlCatalog> catalogFor(const QString &uri, const QString &home);

    QString home() const { return m_home; }
    bool json() const { return m_json; }
    lifeboat::ConfigStore &config() { return m_config; }
    std::shared_ptr<lifeboat::Catalog> catalog() { return m_catalog; }

    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }

    int fail(lifeboat::ExitCode code, const QString &message);
    int fail(const lifeboat::Error &e) { return fail(e.code, e.message); }
    int usage(const QString &message) { return fail(lifeboat::ExitCode::Usage, message); }
    void printJson(const QJsonValue &v);
    bool saveConfig();

    // Reads one secret line from stdin (for --password-stdin / --secret-stdin / --passphrase-stdin).
    static QString readSecretFromStdin();

private:
    QString m_home;
    bool m_json;
    QString m_catalogUri;
    lifeboat::ConfigStore m_config;
    std::shared_ptr<lifeboat::Catalog> m_catalog;
    QTextStream m_out;
    QTextStream m_err;
};
