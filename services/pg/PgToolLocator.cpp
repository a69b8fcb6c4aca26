#include "pg/PgToolLocator.h"

#include "core/ChildEnvironment.h"
#include "core/ParentDeath.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSet>

#include <algorithm>

namespace lifeboat {

namespace {
QString exeName(const QString &tool) {
#ifdef Q_OS_WIN
    return tool + QStringLiteral(".exe");
#else
    return tool;
#endif
}

QStringList globDirs(const QString &parent, const QString &pattern, const QString &suffix) {
    QStringList out;
    QDir d(parent);
    const auto entries = d.entryList({pattern}, QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &e : entries)
        out << d.filePath(e) + suffix;
    return out;
}
} // namespace

PgToolLocator::PgToolLocator(QString overrideDir)
    : m_override(std::move(overrideDir)) {}

QStringList PgToolLocator::defaultDirs() {
    QStringList dirs;
    const QString path = qEnvironmentVariable("PATH");
    dirs += path.split(QDir::listSeparator(), Qt::SkipEmptyParts);
    dirs += globDirs(QStringLiteral("/usr/lib/postgresql"), QStringLiteral("*"), QStringLiteral("/bin"));
    dirs += globDirs(QStringLiteral("/usr"), QStringLiteral("pgsql-*"), QStringLiteral("/bin"));
    dirs += globDirs(QStringLiteral("/opt/homebrew/opt"), QStringLiteral("postgresql@*"), QStringLiteral("/bin"));
    dirs += globDirs(QStringLiteral("/usr/local/opt"), QStringLiteral("postgresql@*"), QStringLiteral("/bin"));
    dirs += globDirs(QStringLiteral("/Applications/Postgres.app/Contents/Versions"), QStringLiteral("*"),
                     QStringLiteral("/bin"));
    const QString programFiles = qEnvironmentVariable("ProgramFiles");
    if (!programFiles.isEmpty())
        dirs += globDirs(programFiles + QStringLiteral("/PostgreSQL"), QStringLiteral("*"), QStringLiteral("/bin"));
    return dirs;
}

QStringList PgToolLocator::searchDirs() const {
    if (!m_override.isEmpty())
        return {m_override};
    return defaultDirs();
}

PgVersion PgToolLocator::probeVersion(const QString &path) {
    QProcess p;
    p.setProcessEnvironment(ChildEnvironment::minimal());
    dieWithParent(p);
    p.start(path, {QStringLiteral("--version")});
    if (!p.waitForFinished(10000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return {};
    return PgVersion::fromVersionOutput(QString::fromUtf8(p.readAllStandardOutput()));
}

QList<PgToolLocator::Tool> PgToolLocator::findAll(const QString &tool) const {
    QList<Tool> found;
    QSet<QString> seen;
    for (const QString &dir : searchDirs()) {
        const QFileInfo fi(QDir(dir).filePath(exeName(tool)));
        if (!fi.isFile() || !fi.isExecutable())
            continue;
        const QString canonical = fi.canonicalFilePath();
        if (seen.contains(canonical))
            continue;
        seen.insert(canonical);
        const PgVersion v = probeVersion(fi.absoluteFilePath());
        if (v.isValid())
            found.append({fi.absoluteFilePath(), v});
    }
    std::stable_sort(found.begin(), found.end(), [](const Tool &a, const Tool &b) { return a.version > b.version; });
    return found;
}

PgToolLocator::Tool PgToolLocator::choose(const QString &tool, const PgVersion &server, Error *error) const {
    const QList<Tool> all = findAll(tool);
    for (const Tool &t : all) {
        if (!server.isValid() || t.version.major >= server.major)
            return t;
    }
    QStringList seen;
    for (const Tool &t : all)
        seen << QStringLiteral("%1 %2").arg(t.path, t.version.toString());
    QString msg;
    if (all.isEmpty()) {
        msg = QStringLiteral("%1 was not found (searched: %2). Install the PostgreSQL client tools (e.g. "
                             "postgresql-client-%3) or set the tool directory in settings.")
                  .arg(tool, searchDirs().join(QStringLiteral(", ")),
                       server.isValid() ? QString::number(server.major) : QStringLiteral("N"));
    } else {
        msg = QStringLiteral("the server runs PostgreSQL %1 but the newest %2 found is older (found: %3). Install "
                             "PostgreSQL %4 client tools (e.g. postgresql-client-%4) or point the tool directory "
                             "setting at them.")
                  .arg(server.toString(), tool, seen.join(QStringLiteral("; ")), QString::number(server.major));
    }
    if (error)
        *error = {ExitCode::Usage, msg};
    return {};
}

} // namespace lifeboat
