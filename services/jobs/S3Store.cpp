#include "jobs/S3Store.h"

#include "core/ArtifactName.h"

#include <algorithm>

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
    // 404: the key is free. 403: these credentials may not read (a write-only backup key; without s3:ListBucket a
    // missing key answers 403 too) — go on, the upload itself will say if they can't write either.
    if (status != 404 && status != 403)
        return fail(head.code, QStringLiteral("storage \"%1\": %2").arg(m_name, head.message));
    m_keyWasFree = status == 404;
    S3UploadSink::Options options;
    options.expectedSize = sizeHint;
    // A backup's upload holds (parts in flight + 1) × part size. Kept within kPartBudget so a whole lifeboatctl run
    // (libzstd's worker buffers, age, a local copy, the runtime) stays under 96 MiB (issue 16): 12 MiB parts, four in
    // flight; when a large expected size needs bigger parts (over ~105 GiB), fewer of them fly at once.
    options.partSize = kPartSize;
    const qint64 part = S3UploadSink::choosePartSize(options.partSize, sizeHint);
    options.maxInFlight = int(std::clamp<qint64>(kPartBudget / part - 1, 1, 4));
    m_sink = std::make_unique<S3UploadSink>(m_session.get(), m_key, options);
    return true;
}

bool S3Store::putManifest(const QByteArray &json) {
    const Error e = m_session->putObject(m_key + QStringLiteral(".manifest.json"), json,
                                         {{QStringLiteral("content-type"), QStringLiteral("application/json")}},
                                         /*createOnly=*/true);
    if (e)
        return fail(e.code, QStringLiteral("storage \"%1\": uploading the manifest failed: %2").arg(m_name, e.message));
    m_manifestWritten = true;
    return true;
}

bool S3Store::putCompanion(const QString &name, const QByteArray &bytes) {
    const qsizetype slash = m_key.lastIndexOf(QLatin1Char('/'));
    const QString key = (slash < 0 ? QString() : m_key.left(slash + 1)) + name;
    // One PutObject is atomic: the key holds the whole file or nothing; createOnly never replaces another object.
    const Error e =
        m_session->putObject(key, bytes, {{QStringLiteral("content-type"), QStringLiteral("application/octet-stream")}},
                             /*createOnly=*/true);
    if (e)
        return fail(e.code, QStringLiteral("storage \"%1\": uploading %2 failed: %3").arg(m_name, name, e.message));
    m_companions << key;
    return true;
}

BackupLocation S3Store::location() const {
    return {m_name, QStringLiteral("s3"), m_key, m_key + QStringLiteral(".manifest.json")};
}

void S3Store::discard() {
    if (!m_sink)
        return;
    m_sink->abort(); // stops an unfinished upload (best effort); a no-op once the upload completed
    // Once complete the object is ours to delete: certainly when the key was free before we began, and when the
    // sink saw it stored. (A completed upload whose confirming HEAD failed has no size yet, but is still ours.)
    if (m_keyWasFree || m_sink->objectInfo().size >= 0)
        m_session->deleteObject(m_key);
    if (m_manifestWritten)
        m_session->deleteObject(m_key + QStringLiteral(".manifest.json"));
    for (const QString &key : std::as_const(m_companions))
        m_session->deleteObject(key);
    m_companions.clear();
}

} // namespace lifeboat
