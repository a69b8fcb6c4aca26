#include "jobs/S3Store.h"

#include "core/ArtifactName.h"

namespace lifeboat {

S3Store::S3Store(QString storageName, std::shared_ptr<S3Session> session)
    : m_name(std::move(storageName))
    , m_session(std::move(session)) {}

S3Store::~S3Store() = default;

bool S3Store::begin(const QString &artifact, const QString &type, const QDateTime &startedUtc, qint64 sizeHint) {
    const Error configError = m_session->configError();
    if (configError)
        return fail(configError.code, QStringLiteral("storage \"%1\": %2").arg(m_name, configError.message));
    m_key = m_session->config().keyFor(ArtifactName::s3Key(QString(), type, startedUtc, artifact));
    // S3 overwrites silently: never let a new backup replace an object another record points at.
    S3ObjectInfo existing;
    int status = 0;
    const Error head = m_session->headObject(m_key, &existing, &status);
    if (!head)
        return fail(ExitCode::Transfer,
                    QStringLiteral("storage \"%1\": an object already exists at %2; refusing to overwrite it")
                        .arg(m_name, m_key));
    if (status != 404)
        return fail(head.code, QStringLiteral("storage \"%1\": %2").arg(m_name, head.message));
    S3UploadSink::Options options;
    options.expectedSize = sizeHint;
    m_sink = std::make_unique<S3UploadSink>(m_session.get(), m_key, options);
    return true;
}

bool S3Store::putManifest(const QByteArray &json) {
    const Error e = m_session->putObject(m_key + QStringLiteral(".manifest.json"), json,
                                         {{QStringLiteral("content-type"), QStringLiteral("application/json")}});
    if (e)
        return fail(e.code, QStringLiteral("storage \"%1\": uploading the manifest failed: %2").arg(m_name, e.message));
    m_manifestWritten = true;
    return true;
}

BackupLocation S3Store::location() const {
    return {m_name, QStringLiteral("s3"), m_key, m_key + QStringLiteral(".manifest.json")};
}

void S3Store::discard() {
    if (!m_sink)
        return;
    if (m_sink->objectInfo().size >= 0) // finished: the object exists and is ours
        m_session->deleteObject(m_key);
    else
        m_sink->abort();
    if (m_manifestWritten)
        m_session->deleteObject(m_key + QStringLiteral(".manifest.json"));
}

} // namespace lifeboat
