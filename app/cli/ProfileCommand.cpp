#include "ProfileCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"
#include "NamedThings.h"

#include "pg/Conninfo.h"
#include "pg/PgSession.h"
#include "pg/PgToolLocator.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

using namespace lifeboat;

static int add(CliContext &ctx, const ArgParser &p) {
    const QString name = p.positional().first();
    if (p.isSet(QStringLiteral("globals")) && p.isSet(QStringLiteral("no-globals")))
        return ctx.usage(QStringLiteral("--globals and --no-globals exclude each other"));
    if (p.isSet(QStringLiteral("globals-role-passwords")) && !p.isSet(QStringLiteral("globals")))
        return ctx.usage(QStringLiteral("--globals-role-passwords needs --globals"));
    if (p.isSet(QStringLiteral("continuous")) && p.isSet(QStringLiteral("no-continuous")))
        return ctx.usage(QStringLiteral("--continuous and --no-continuous exclude each other"));
    bool partialOk = true;
    const int partialUpload = p.value(QStringLiteral("partial-upload")).toInt(&partialOk);
    if (p.isSet(QStringLiteral("partial-upload")) && (!partialOk || partialUpload < 1))
        return ctx.usage(QStringLiteral("--partial-upload: a number of seconds (1 or more)"));
    if (!ConfigStore::isValidName(name))
        return ctx.usage(QStringLiteral("invalid profile name \"%1\" (letters, digits, . _ -; up to 63)").arg(name));
    if (!p.isSet(QStringLiteral("conninfo")))
        return ctx.usage(QStringLiteral("profile add needs --conninfo"));
    Error err;
    const Conninfo ci = Conninfo::parse(p.value(QStringLiteral("conninfo")), &err);
    if (!ci.isValid())
        return ctx.fail(err);
    for (const QString &s : p.values(QStringLiteral("storage"))) {
        if (!ctx.config().storage(s))
            return ctx.usage(QStringLiteral("unknown storage \"%1\" (see `lifeboatctl storage list`)").arg(s));
    }

    Profile prof = ctx.config().profile(name).value_or(Profile{});
    prof.name = name;
    prof.conninfo = ci.toKeywordString(); // any password in the URI is split off, never saved here
    prof.production = p.isSet(QStringLiteral("production"));
    if (p.isSet(QStringLiteral("storage")))
        prof.defaultStorages = p.values(QStringLiteral("storage"));
    if (p.isSet(QStringLiteral("exclude-table")))
        prof.excludeTables = p.values(QStringLiteral("exclude-table"));
    if (p.isSet(QStringLiteral("recipient")))
        prof.recipients = p.values(QStringLiteral("recipient"));
    if (p.isSet(QStringLiteral("post-restore")))
        prof.postRestoreCommand = p.value(QStringLiteral("post-restore"));
    if (p.isSet(QStringLiteral("globals")) || p.isSet(QStringLiteral("no-globals"))) {
        prof.globals = p.isSet(QStringLiteral("globals"));
        prof.globalsRolePasswords = prof.globals && p.isSet(QStringLiteral("globals-role-passwords"));
    }
    if (prof.globalsRolePasswords && prof.recipients.isEmpty())
        return ctx.usage(QStringLiteral("--globals-role-passwords keeps the roles' password hashes, so the backups "
                                        "must be encrypted: give the profile --recipient AGE_PUBLIC_KEY too"));
    if (p.isSet(QStringLiteral("continuous")) || p.isSet(QStringLiteral("no-continuous")))
        prof.continuous = p.isSet(QStringLiteral("continuous"));
    if (p.isSet(QStringLiteral("partial-upload")))
        prof.partialUploadSeconds = partialUpload;

    QString password = ci.password();
    if (p.isSet(QStringLiteral("password-stdin")))
        password = CliContext::readSecretFromStdin();
    if (!password.isEmpty()) {
        CliSecrets secrets(ctx);
        // A password handed over is kept or refused, never dropped: a profile saved without it would fail its
        // first scheduled backup. Nothing is saved on refusal.
        if (!secrets.store(CredentialStore::profilePasswordKey(name), password))
            return ctx.fail(ExitCode::Usage,
                            QStringLiteral("profile \"%1\" not saved: %2").arg(name, secrets.lastMessage()));
        if (!ci.password().isEmpty()) {
            ctx.err() << "The password in the connection string was moved to " << secrets.backendName() << '.'
                      << Qt::endl;
        }
    }
    ctx.config().upsertProfile(prof);
    if (!ctx.saveConfig())
        return 3;
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("profile"), name}});
    else
        ctx.err() << "Profile \"" << name << "\" saved (" << ci.hostPort() << ", database " << ci.dbname() << ")."
                  << Qt::endl;
    return 0;
}

static int list(CliContext &ctx, const ArgParser &) {
    return NamedThings::list(ctx, ctx.config().profiles(), [](const Profile &prof) {
        Error e;
        const Conninfo ci = Conninfo::parse(prof.conninfo, &e);
        return NamedThings::Row{{{QStringLiteral("name"), prof.name},
                                 {QStringLiteral("server"), ci.hostPort()},
                                 {QStringLiteral("database"), ci.dbname()},
                                 {QStringLiteral("production"), prof.production},
                                 {QStringLiteral("storages"), QJsonArray::fromStringList(prof.defaultStorages)},
                                 {QStringLiteral("excludeTables"), QJsonArray::fromStringList(prof.excludeTables)},
                                 {QStringLiteral("globals"), prof.globals},
                                 {QStringLiteral("globalsRolePasswords"), prof.globalsRolePasswords},
                                 {QStringLiteral("continuous"), prof.continuous},
                                 {QStringLiteral("partialUploadSeconds"), prof.partialUploadSeconds}},
                                prof.name + QLatin1Char('\t') + ci.hostPort() + QLatin1Char('\t') + ci.dbname() +
                                    (prof.production ? QStringLiteral("\tPRODUCTION") : QString()) +
                                    (prof.continuous ? QStringLiteral("\tCONTINUOUS") : QString())};
    });
}

static int test(CliContext &ctx, const ArgParser &p) {
    const auto prof = ctx.config().profile(p.positional().first());
    if (!prof)
        return ctx.usage(
            QStringLiteral("unknown profile \"%1\" (see `lifeboatctl profile list`)").arg(p.positional().first()));
    Error err;
    const Conninfo ci = Conninfo::parse(prof->conninfo, &err);
    CliSecrets secrets(ctx);
    const QString password = secrets.profilePassword(prof->name, p.isSet(QStringLiteral("password-stdin")),
                                                     p.value(QStringLiteral("secret-env")));
    PgSession session;
    if (!session.connect(ci, password))
        return ctx.fail(session.error());
    const PgVersion server = session.serverVersion();
    const QString db = session.currentDatabase();
    const QString size = session.scalar(QStringLiteral("SELECT pg_database_size(current_database())"));
    const PgToolLocator::Tool tool =
        PgToolLocator(ctx.config().option(QStringLiteral("pgToolDir"))).choose(QStringLiteral("pg_dump"), server, &err);
    QJsonObject o{{QStringLiteral("ok"), !err},
                  {QStringLiteral("server"), ci.hostPort()},
                  {QStringLiteral("serverVersion"), server.toString()},
                  {QStringLiteral("database"), db},
                  {QStringLiteral("databaseBytes"), size.toLongLong()},
                  {QStringLiteral("pgDump"), tool.path},
                  {QStringLiteral("pgDumpVersion"), tool.version.toString()}};
    if (ctx.json())
        ctx.printJson(o);
    else
        ctx.err() << "Connected to " << ci.hostPort() << ": PostgreSQL " << server.toString() << ", database \"" << db
                  << "\" (" << QLocale().formattedDataSize(size.toLongLong()) << ")." << Qt::endl;
    if (err)
        return ctx.fail(err);
    if (!ctx.json())
        ctx.err() << "pg_dump: " << tool.path << " (" << tool.version.toString() << ")" << Qt::endl;
    return 0;
}

static int remove(CliContext &ctx, const ArgParser &p) {
    return NamedThings::remove(
        ctx, p.positional().first(),
        {[&ctx](const QString &name) {
             return ctx.config().removeProfile(name) ? QString() : QStringLiteral("unknown profile \"%1\"").arg(name);
         },
         true, [&ctx](const QString &name) { CliSecrets(ctx).remove(CredentialStore::profilePasswordKey(name)); },
         QStringLiteral("Profile \"%1\" removed (its backups stay in the catalog).")});
}

QList<CliCommand> ProfileCommand::commands() {
    return {{QStringLiteral("profile"), QStringLiteral("add"),
             QStringLiteral("NAME --conninfo URI [--password-stdin] [--production] "
                            "[--storage NAME]... [--exclude-table T]... [--recipient AGE]... "
                            "[--globals [--globals-role-passwords] | --no-globals] "
                            "[--continuous [--partial-upload SECONDS] | --no-continuous]"),
             1, 1, &add, cliOptions(R"(
--conninfo URI  libpq connection string or URI (no password here).
--password-stdin  Read the password from stdin and keep it in the credential store.
--production  Mark as production: restores into it need extra confirmation and a safety backup.
--storage NAME  Default storage for backups (repeatable).
--exclude-table T  Table always left out of backups (repeatable).
--recipient AGE  Default age recipient for backups (repeatable).
--post-restore CMD  Command run after a successful restore into this profile.
--globals  Each database backup also keeps the server's roles and tablespaces (pg_dumpall --globals-only, without
    role passwords) beside the artifact.
--globals-role-passwords  With --globals: keep the roles' password hashes too (encrypt the backups).
--no-globals  Stop keeping the server's roles with backups.
--continuous  Continuous protection: the desktop app keeps `wal receive` running for this profile.
--no-continuous  Stop continuous protection in the desktop app.
--partial-upload SECONDS  With --continuous: upload the WAL segment being filled this often (default 60).)")},
            {QStringLiteral("profile"), QStringLiteral("list"), QString(), 0, 0, &list},
            {QStringLiteral("profile"), QStringLiteral("test"), QStringLiteral("NAME [--password-stdin]"), 1, 1, &test,
             cliOptions(R"(
--password-stdin  Read the password from stdin for this test.
--secret-env VAR  Read the password from this environment variable.)")},
            {QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("NAME"), 1, 1, &remove}};
}
