#include "storage/S3KeyPaths.h"

#include <QDir>
#include <QFileInfo>

namespace lifeboat {

namespace {

bool refuse(QString *reason, const QString &why) {
    if (reason)
        *reason = why;
    return false;
}

QString printable(const QString &key) {
    QString out;
    for (QChar c : key)
        out += (c.unicode() < 0x20 || c.unicode() == 0x7f)
                   ? QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'))
                   : QString(c);
    return out;
}

bool checkKey(const QString &key, QString *reason) {
    const QString shown = printable(key);
    if (key.isEmpty())
        return refuse(reason, QStringLiteral("empty object key"));
    for (QChar c : key) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c.category() == QChar::Other_Control)
            return refuse(reason, QStringLiteral("object key \"%1\" contains a control character").arg(shown));
    }
    if (key.contains(QLatin1Char('\\')))
        return refuse(reason, QStringLiteral("object key \"%1\" contains a backslash").arg(shown));
    if (key.startsWith(QLatin1Char('/')))
        return refuse(reason, QStringLiteral("object key \"%1\" is an absolute path").arg(shown));
    if (key.contains(QLatin1Char(':')))
        return refuse(reason,
                      QStringLiteral("object key \"%1\" contains ':' (a drive letter or stream name)").arg(shown));
    if (key.endsWith(QLatin1Char('/')))
        return refuse(reason, QStringLiteral("object key \"%1\" names a folder, not a file").arg(shown));
    for (const QString &segment : key.split(QLatin1Char('/'))) {
        if (segment.isEmpty() || segment == QLatin1String(".") || segment == QLatin1String(".."))
            return refuse(reason, QStringLiteral("object key \"%1\" has an empty, \".\" or \"..\" segment").arg(shown));
    }
    return true;
}

// The deepest existing ancestor of path must resolve (through any symlinks) inside root.
bool staysInside(const QString &root, const QString &path, QString *reason) {
    const QString canonicalRoot = QFileInfo(root).canonicalFilePath();
    if (canonicalRoot.isEmpty())
        return refuse(reason, QStringLiteral("download directory %1 does not exist").arg(root));
    QString probe = path;
    while (!QFileInfo::exists(probe) && probe.size() > root.size())
        probe = QFileInfo(probe).absolutePath();
    const QString canonical = QFileInfo(probe).canonicalFilePath();
    if (canonical != canonicalRoot && !canonical.startsWith(canonicalRoot + QLatin1Char('/')))
        return refuse(reason, QStringLiteral("%1 leads outside the download directory").arg(path));
    return true;
}

} // namespace

std::optional<QString> S3KeyPaths::safeLocalPath(const QString &downloadDir, const QString &key, QString *reason) {
    if (!checkKey(key, reason))
        return std::nullopt;
    const QString root = QDir::cleanPath(QDir(downloadDir).absolutePath());
    const QString path = QDir::cleanPath(root + QLatin1Char('/') + key);
    if (!path.startsWith(root + QLatin1Char('/'))) {
        refuse(reason, QStringLiteral("object key \"%1\" leads outside the download directory").arg(printable(key)));
        return std::nullopt;
    }
    if (!staysInside(root, path, reason))
        return std::nullopt;
    return path;
}

std::optional<QString> S3KeyPaths::safeLocalFileName(const QString &downloadDir, const QString &key, QString *reason) {
    if (key.endsWith(QLatin1Char('/'))) {
        refuse(reason, QStringLiteral("object key \"%1\" names a folder, not a file").arg(printable(key)));
        return std::nullopt;
    }
    if (!checkKey(key, reason)) // a hostile key is refused as a whole, even if its last segment looks harmless
        return std::nullopt;
    return safeLocalPath(downloadDir, key.section(QLatin1Char('/'), -1), reason);
}

} // namespace lifeboat
