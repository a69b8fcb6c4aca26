#include "jobs/GlobalsDump.h"

#include "core/ChildEnvironment.h"
#include "jobs/ChildProcess.h"
#include "pg/PgPassFile.h"
#include "pipeline/MemorySink.h"

namespace lifeboat {

QStringList GlobalsDump::arguments(const Conninfo &target, bool rolePasswords) {
    // pg_dumpall ignores the database of -d; -l names the one it connects to (the profile's, which the role may
    // reach — "postgres" may not exist or be closed to it).
    QStringList args{QStringLiteral("--globals-only"), QStringLiteral("--no-password"),
                     QStringLiteral("--dbname=%1").arg(target.toKeywordString())};
    if (!target.dbname().isEmpty())
        args << QStringLiteral("--database=%1").arg(target.dbname());
    if (!rolePasswords)
        args << QStringLiteral("--no-role-passwords");
    return args;
}

GlobalsDump::Result GlobalsDump::run(const Request &req) {
    Result result;
    Error err;
    result.tool = PgToolLocator(req.pgToolDir).choose(QStringLiteral("pg_dumpall"), req.server, &err);
    if (err) {
        result.error = err;
        return result;
    }
    if (req.log)
        req.log(QStringLiteral("server's roles: %1 (%2)%3")
                    .arg(result.tool.path, result.tool.version.toString(),
                         req.rolePasswords ? QStringLiteral(", with role passwords") : QString()));
    PgPassFile passFile;
    if (!req.password.isEmpty() && !passFile.create(req.password, req.target)) {
        result.error = {ExitCode::Usage, QStringLiteral("cannot create a temporary password file for pg_dumpall")};
        return result;
    }
    const QProcessEnvironment env = ChildEnvironment::forPgTool({req.password}, passFile.path());
    ChildProcess child(result.tool.path, arguments(req.target, req.rolePasswords), env);
    child.setCancelFlag(req.cancel);
    child.setStderrHandler([&req](const QString &line) {
        if (req.log)
            req.log(QStringLiteral("pg_dumpall: ") + line);
    });
    MemorySink sink;
    if (!child.run(&sink)) {
        if (child.wasCancelled() || (req.cancel && req.cancel->load())) {
            result.error = {ExitCode::Cancelled, QStringLiteral("cancelled")};
            return result;
        }
        QString why = child.errorText();
        for (const QString &l : child.stderrTail()) {
            if (l.contains(QStringLiteral("error:")) || l.contains(QStringLiteral("FATAL"))) {
                why = l;
                break;
            }
        }
        if (why.isEmpty() && !child.stderrTail().isEmpty())
            why = child.stderrTail().last();
        result.error = {ExitCode::PgTool, QStringLiteral("dumping the server's roles (pg_dumpall --globals-only) "
                                                         "failed: %1 — fix that, or turn the roles off for this "
                                                         "profile (profile add … --no-globals)")
                                              .arg(why)};
        return result;
    }
    result.sql = sink.data();
    return result;
}

} // namespace lifeboat
