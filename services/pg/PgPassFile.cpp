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

bool PgPassFile::create(const QString &password) {
    // The name carries this process's identity, so the next start removes the file if this process is killed
    // before it can (ScratchName, ScratchSweeper).
    auto file = std::make_unique<QTemporaryFile>(ScratchName::templatePath(QStringLiteral("pgpass")));
    // QTemporaryFile creates the file 0600 before anything is written.
    if (!file->open())
        return false;
    file->setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    // The wildcard line applies to whatever host/db the child connects to: it only ever talks to the server the
    // profile names.
    const QByteArray line = QStringLiteral("*:*:*:*:%1\n").arg(escape(password)).toUtf8();
    if (file->write(line) != line.size() || !file->flush())
        return false;
    file->close();
    m_file = std::move(file);
    return true;
}

} // namespace lifeboat
