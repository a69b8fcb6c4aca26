#pragma once

#include <QJsonObject>
#include <QString>

namespace lifeboat {

// The server's global objects (roles, memberships, tablespaces: pg_dumpall --globals-only) dumped with a database
// backup: one small file beside the artifact on every storage the backup went to, encrypted like the artifact. A
// restore onto a fresh server creates the roles it lacks from it before the objects they own are restored.
struct GlobalsCompanion {
    QString filename; // beside the artifact: NAME.globals.sql[.age]
    qint64 size = 0;  // stored bytes
    QString sha256;   // of the stored bytes
    QString plainSha256;
    bool encrypted = false;
    bool rolePasswords = false; // dumped without --no-role-passwords (opted in on the profile)

    bool present() const { return !filename.isEmpty(); }

    // The companion's name for an artifact: the artifact's name without ".age", then ".globals.sql", then ".age"
    // again when encrypted.
    static QString nameFor(const QString &artifact, bool encrypted) {
        QString base = artifact;
        if (base.endsWith(QLatin1String(".age")))
            base.chop(4);
        return base + QStringLiteral(".globals.sql") + (encrypted ? QStringLiteral(".age") : QString());
    }
    // Where the companion of the copy at `artifactPath` (a file path or an object key) lies: the same directory.
    QString siblingOf(const QString &artifactPath) const {
        const qsizetype slash = artifactPath.lastIndexOf(QLatin1Char('/'));
        return slash < 0 ? filename : artifactPath.left(slash + 1) + filename;
    }

    static bool isPlainName(const QString &name) {
        return !name.contains(QLatin1Char('/')) && !name.contains(QLatin1Char('\\')) &&
               (name.endsWith(QLatin1String(".globals.sql")) || name.endsWith(QLatin1String(".globals.sql.age"))) &&
               !name.startsWith(QLatin1Char('.'));
    }

    QJsonObject toJson() const {
        if (!present())
            return {};
        return {{QStringLiteral("file"), filename},       {QStringLiteral("size"), size},
                {QStringLiteral("sha256"), sha256},       {QStringLiteral("plainSha256"), plainSha256},
                {QStringLiteral("encrypted"), encrypted}, {QStringLiteral("rolePasswords"), rolePasswords}};
    }
    static GlobalsCompanion fromJson(const QJsonObject &o) {
        GlobalsCompanion g;
        g.filename = o.value(QStringLiteral("file")).toString();
        // A catalog row or manifest is data: only a plain name beside the artifact is ever read, moved or deleted.
        if (!isPlainName(g.filename))
            g.filename.clear();
        g.size = o.value(QStringLiteral("size")).toInteger();
        g.sha256 = o.value(QStringLiteral("sha256")).toString();
        g.plainSha256 = o.value(QStringLiteral("plainSha256")).toString();
        g.encrypted = o.value(QStringLiteral("encrypted")).toBool();
        g.rolePasswords = o.value(QStringLiteral("rolePasswords")).toBool();
        return g;
    }
};

} // namespace lifeboat
