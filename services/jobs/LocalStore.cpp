#include "jobs/LocalStore.h"

#include "core/ArtifactName.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStorageInfo>

namespace lifeboat {

LocalStore::LocalStore(QString storageName, QString rootDir)
    : m_name(std::move(storageName))
    , m_root(std::move(rootDir)) {}

qint64 LocalStore::freeBytes() const {
    QString probe = m_root;
    while (!probe.isEmpty() && !QFileInfo::exists(probe))
        probe = QFileInfo(probe).absolutePath() == probe ? QString() : QFileInfo(probe).absolutePath();
    const QStorageInfo info(probe.isEmpty() ? QDir::rootPath() : probe);
    return info.isValid() ? info.bytesAvailable() : -1;
}

bool LocalStore::begin(const QString &artifact, const QString &type, const QDateTime &startedUtc, qint64) {
    const QString rel = ArtifactName::s3Key(QString(), type, startedUtc, artifact);
    m_path = QDir(m_root).filePath(rel);
    const QString dir = QFileInfo(m_path).absolutePath();
    QString why;
    if (!AtomicFileSink::makeDirectories(dir, &why))
        return fail(ExitCode::Usage, QStringLiteral("storage \"%1\": the directory %2 is not writable (%3) — check its "
                                                    "permissions or choose another directory")
                                         .arg(m_name, dir, why));
    if (!QFileInfo(dir).isWritable()) {
        return fail(ExitCode::Usage, QStringLiteral("storage \"%1\": the directory %2 is not writable — check its "
                                                    "permissions or choose another directory")
                                         .arg(m_name, dir));
    }
    m_sink = std::make_unique<AtomicFileSink>(m_path);
    if (!m_sink->open())
        return fail(m_sink->error().code, QStringLiteral("storage \"%1\": %2").arg(m_name, m_sink->error().message));
    return true;
}

bool LocalStore::putManifest(const QByteArray &json) {
    AtomicFileSink manifest(m_path + QStringLiteral(".manifest.json"));
    if (!manifest.open() || !manifest.write(json) || !manifest.finish())
        return fail(manifest.error().code, manifest.error().message);
    m_manifestWritten = true;
    return true;
}

bool LocalStore::putCompanion(const QString &name, const QByteArray &bytes) {
    const QString path = QFileInfo(m_path).absoluteDir().filePath(name);
    AtomicFileSink companion(path); // NAME.partial, fsync, rename: the final name only ever holds the whole file
    if (!companion.open() || !companion.write(bytes) || !companion.finish())
        return fail(companion.error().code,
                    QStringLiteral("storage \"%1\": %2").arg(m_name, companion.error().message));
    m_companions << path;
    return true;
}

BackupLocation LocalStore::location() const {
    return {m_name, QStringLiteral("local"), m_path, m_path + QStringLiteral(".manifest.json")};
}

void LocalStore::discard() {
    if (!m_sink)
        return;
    if (m_sink->committed())
        QFile::remove(m_path); // only ever a file this store wrote: the sink refuses to overwrite
    else
        m_sink->abort(); // removes the .partial
    if (m_manifestWritten)
        QFile::remove(m_path + QStringLiteral(".manifest.json"));
    for (const QString &c : std::as_const(m_companions))
        QFile::remove(c);
    m_companions.clear();
}

} // namespace lifeboat
