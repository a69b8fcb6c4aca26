#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace lifeboat {

// What a child process may see of our environment. Secrets must never reach a child's argv or environment (a
// test reads /proc/PID/environ of every child), so every spawn goes through one of these.
class ChildEnvironment {
public:
    // For tools that need nothing of the user's settings (`pg_dump --version`, initdb/pg_ctl of a private
    // cluster, chown): PATH, HOME, user, locale, time zone and temp directory only.
    static QProcessEnvironment minimal();

    // For pg tools that must honour the user's PG* settings, service files and so on: the user's environment
    // minus every variable that carries a credential (PGPASSWORD, AWS keys, Lifeboat's secrets passphrase) and
    // any variable whose value contains one of `secrets` (e.g. one named with --secret-env). The database password
    // reaches the child through pgPassFile instead.
    static QProcessEnvironment forPgTool(const QStringList &secrets, const QString &pgPassFile = {});

    // Secrets this process has learnt (passwords read from stdin, a --secret-env variable, a keychain): every
    // environment built here also drops any variable containing one of them, whichever call site spawns the child.
    // Thread-safe.
    static void registerSecret(const QString &secret);
};

} // namespace lifeboat
