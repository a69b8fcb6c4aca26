#include "pg/PgPassFile.h"

#include "core/ScratchName.h"

#include <QDir>

namespace lifeboat {

QString PgPassFile::escape(const QString &field) {
    QString out = field;
    out.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    out.replace(QLatin1Char(':'), QStringLiteral("\\:"));
    return out;
}

QString PgPassFile::lineFor(const QString &password, const Conninfo &target) {
    // The fields libpq compares, filled in the way libpq fills them when the connection string leaves one out
    // (children get every parameter explicitly, so these defaults are a fallback only). A socket connection to the
    // default directory is looked up as "localhost" by libpq, so that name is written beside the directory.
    QString host = target.host();
    if (host.isEmpty())
        host = target.value(QStringLiteral("hostaddr"));
    if (host.isEmpty())
        host = qEnvironmentVariable("PGHOST");
    QString port = target.port();
    if (port.isEmpty())
        port = qEnvironmentVariable("PGPORT", QStringLiteral("5432"));
    QString user = target.user();
    if (user.isEmpty())
        user = qEnvironmentVariable("PGUSER", qEnvironmentVariable("USER"));
    QString db = target.dbname();
    if (db.isEmpty())
        db = qEnvironmentVariable("PGDATABASE", user);
    const QStringList hosts = host.split(QLatin1Char(','));
    const QStringList ports = port.split(QLatin1Char(','));
    QString out;
    for (qsizetype i = 0; i < hosts.size(); ++i) {
        QString h = hosts.at(i).trimmed();
        const QString p = (ports.size() == hosts.size() ? ports.at(i) : ports.first()).trimmed();
        QStringList names{h.isEmpty() ? QStringLiteral("localhost") : h};
        if (h == QLatin1String("/var/run/postgresql") || h == QLatin1String("/run/postgresql"))
            names << QStringLiteral("localhost");
        for (const QString &name : std::as_const(names))
            out += QStringLiteral("%1:%2:%3:%4:%5\n")
                       .arg(escape(name), escape(p.isEmpty() ? QStringLiteral("5432") : p), escape(db), escape(user),
                            escape(password));
    }
    return out;
}

bool PgPassFile::create(const QString &password, const Conninfo &target) {
    // The name carries this process's identity, so the next start removes the file if this process is killed
    // before it can (ScratchName, ScratchSweeper).
    auto file = std::make_unique<QTemporaryFile>(ScratchName::templatePath(QStringLiteral("pgpass")));
    // QTemporaryFile creates the file 0600 before anything is written.
    if (!file->open())
        return false;
    file->setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    // The line names exactly the target's host, port, database and user: a connection anywhere else (a script's
    // \\connect, a redirected host) finds no password here.
    const QByteArray line = lineFor(password, target).toUtf8();
    if (file->write(line) != line.size() || !file->flush())
        return false;
    file->close();
    m_file = std::move(file);
    return true;
}

} // namespace lifeboat
