#pragma once

#include "core/ExitCode.h"
#include "pg/Conninfo.h"
#include "pg/PgToolLocator.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace lifeboat {

// The server's global objects — roles, their memberships and settings, tablespaces — as pg_dumpall --globals-only
// writes them: the companion a database backup carries so a restore onto a fresh server can create the roles that
// own its objects and hold its grants. Role passwords are left out (--no-role-passwords) unless asked for. The tool
// is chosen like pg_dump (newest client whose major ≥ the server's), the password reaches it like pg_dump's (a 0600
// PGPASSFILE, never argv or environment).
class GlobalsDump {
public:
    struct Request {
        Conninfo target;   // every connection parameter explicit (PgSession::effective)
        QString password;  // empty: libpq's own sources
        PgVersion server;  // the server's version, for the tool's choice
        QString pgToolDir; // the "tool directory" setting
        bool rolePasswords = false;
        const std::atomic_bool *cancel = nullptr;
        std::function<void(const QString &)> log;
    };
    struct Result {
        QByteArray sql;
        PgToolLocator::Tool tool;
        Error error;
    };

    static Result run(const Request &request);
    // pg_dumpall's arguments (pure; tested): the conninfo's database is the initial connection (-l).
    static QStringList arguments(const Conninfo &target, bool rolePasswords);
};

} // namespace lifeboat
