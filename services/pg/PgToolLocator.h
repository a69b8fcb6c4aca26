#pragma once

#include "core/ExitCode.h"
#include "pg/PgVersion.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace lifeboat {

// Finds PostgreSQL client tools (pg_dump, pg_restore, psql, pg_basebackup) and picks the one to use for a server.
// pg_dump refuses to dump a server newer than itself, so the rule is: the newest client whose major version is
// at least the server's; when none fits, an error that names the server version and every client found (the
// mistake pgAdmin users hit constantly).
class PgToolLocator {
public:
    struct Tool {
        QString path;
        PgVersion version;
    };

    // overrideDir: a setting ("tool directory"); searched first and exclusively when set.
    explicit PgToolLocator(QString overrideDir = {});

    // Every directory searched, in order: override, PATH, Debian /usr/lib/postgresql/*/bin, RHEL
    // /usr/pgsql-*/bin, Homebrew, Postgres.app, Windows Program Files\PostgreSQL\*\bin.
    QStringList searchDirs() const;
    QList<Tool> findAll(const QString &tool) const;
    // For a server of version `server` (invalid = unknown: newest wins).
    Tool choose(const QString &tool, const PgVersion &server, Error *error) const;

    static PgVersion probeVersion(const QString &path);
    static QStringList defaultDirs();

private:
    QString m_override;
};

} // namespace lifeboat
