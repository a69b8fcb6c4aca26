#include "mirror/MirrorStore.h"

#include "jobs/StoreFactory.h"
#include "pipeline/AtomicFileSink.h"
#include "pipeline/MemorySink.h"
#include "storage/S3KeyPaths.h"
#include "storage/S3Session.h"
#include "storage/S3UploadSink.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace lifeboat {

MirrorStore::MirrorStore(StorageConfig config, QString mirrorName)
    : m_config(std::move(config))
    , m_name(std::move(mirrorName)) {}

MirrorStore::~MirrorStore() = default;

std::unique_ptr<MirrorStore> MirrorStore::open(const StorageConfig &config, const QString &secret,
                                               const QString &mirrorName, Error *error) {
    std::unique_ptr<MirrorStore> store(new MirrorStore(config, mirrorName));
    if (config.isLocal()) {
        if (config.localDir.isEmpty()) {
            *error = {ExitCode::Usage, QStringLiteral("storage \"%1\" has no directory").arg(config.name)};
            return nullptr;
        }
        store->m_root = QDir(config.localDir).filePath(QStringLiteral("mirror/") + mirrorName);
        return store;
    }
    if (!config.isS3()) {
        *error = {ExitCode::Usage,
                  QStringLiteral("storage \"%1\" has an unsupported kind \"%2\"").arg(config.name, config.kind)};
        return nullptr;
    }
    store->m_session = StoreFactory::s3Session(config, secret, error);
    if (!store->m_session)
        return nullptr;
    store->m_root = store->m_session->config().keyFor(QStringLiteral("mirror/") + mirrorName);
    return store;
}

QString MirrorStore::fullPath(const QString &relative) const {
    return m_root + QLatin1Char('/') + relative;
}

std::unique_ptr<ByteSink> MirrorStore::writer(const QString &relative, qint64 expectedSize, Error *error) {
    if (m_session) {
        S3UploadSink::Options o;
        o.expectedSize = expectedSize;
        o.partSize = kPartSize;
        return std::make_unique<S3UploadSink>(m_session.get(), fullPath(relative), o);
    }
    // Keys come from the source bucket: untrusted, so they must stay inside the mirror directory.
    // Each new directory is fsynced into its parent: a mirrored file in a directory whose entry was lost is lost.
    QString why;
    if (!AtomicFileSink::makeDirectories(m_root, &why)) {
        *error = {ExitCode::Transfer, QStringLiteral("cannot create the mirror directory %1: %2").arg(m_root, why)};
        return nullptr;
    }
    const auto path = S3KeyPaths::safeLocalPath(m_root, relative, &why);
    if (!path) {
        *error = {ExitCode::Refused,
                  QStringLiteral("the object \"%1\" cannot be stored in a local directory: %2").arg(relative, why)};
        return nullptr;
    }
    if (!AtomicFileSink::makeDirectories(QFileInfo(*path).absolutePath(), &why)) {
        *error = {ExitCode::Transfer, QStringLiteral("cannot create the directory for %1: %2").arg(*path, why)};
        return nullptr;
    }
    auto sink = std::make_unique<AtomicFileSink>(*path);
    if (!sink->open()) {
        *error = sink->error();
        return nullptr;
    }
    return sink;
}

Error MirrorStore::read(const QString &relative, ByteSink *sink) {
    if (m_session)
        return m_session->getObject(fullPath(relative), sink);
    QString why;
    const auto path = S3KeyPaths::safeLocalPath(m_root, relative, &why);
    if (!path)
        return {ExitCode::Integrity, QStringLiteral("the mirror names an unsafe path \"%1\": %2").arg(relative, why)};
    QFile f(*path);
    if (!f.open(QIODevice::ReadOnly))
        return {ExitCode::Transfer, QStringLiteral("cannot read %1: %2").arg(*path, f.errorString())};
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    for (;;) {
        const qint64 n = f.read(buffer.data(), buffer.size());
        if (n < 0)
            return {ExitCode::Transfer, QStringLiteral("cannot read %1: %2").arg(*path, f.errorString())};
        if (n == 0)
            break;
        if (!sink->write(QByteArrayView(buffer.constData(), n)))
            return sink->error();
    }
    return {};
}

Error MirrorStore::putObjectList(const QString &runId, const QByteArray &json, BackupLocation *location) {
    const QString relative = QStringLiteral("runs/%1.json").arg(runId);
    Error e;
    auto w = writer(relative, json.size(), &e);
    if (!w)
        return e;
    if (!w->write(json) || !w->finish()) {
        const Error failed = w->error();
        w->abort();
        return failed;
    }
    location->storage = m_config.name;
    location->kind = m_session ? QStringLiteral("s3") : QStringLiteral("local");
    location->path = m_session ? fullPath(relative) : QDir::cleanPath(fullPath(relative));
    location->manifestPath.clear(); // the object list is the run's manifest: one file, deleted once
    return {};
}

Error MirrorStore::readObjectList(const BackupLocation &location, QByteArray *json) {
    if (m_session) {
        MemorySink collect;
        const Error e = m_session->getObject(location.path, &collect);
        *json = collect.data();
        return e;
    }
    QFile f(location.path);
    if (!f.open(QIODevice::ReadOnly))
        return {ExitCode::Transfer,
                QStringLiteral("cannot read the mirror object list %1: %2").arg(location.path, f.errorString())};
    *json = f.readAll();
    return {};
}

void MirrorStore::removeRun(const QString &runId) {
    const QString relative = QStringLiteral("objects/") + runId;
    if (!m_session) {
        QDir(fullPath(relative)).removeRecursively();
        return;
    }
    S3ListResult listing;
    if (m_session->listAll(fullPath(relative) + QLatin1Char('/'), QString(), &listing))
        return;
    for (const S3ObjectInfo &o : listing.objects)
        m_session->deleteObject(o.key);
}

} // namespace lifeboat
