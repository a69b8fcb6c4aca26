#include "wal/S3WalStorage.h"

#include "pipeline/MemorySink.h"
#include "storage/S3Session.h"

namespace lifeboat {

namespace {
const QString kPlainSha = QStringLiteral("plain-sha256");
}

S3WalStorage::S3WalStorage(QString name, std::shared_ptr<S3Session> session)
    : m_name(std::move(name))
    , m_session(std::move(session)) {}

S3WalStorage::~S3WalStorage() = default;

Error S3WalStorage::withName(const Error &e) const {
    return {e.code, QStringLiteral("storage \"%1\": %2").arg(m_name, e.message)};
}

QString S3WalStorage::location(const QString &relativePath) const {
    return m_session->config().keyFor(relativePath);
}

WalStorage::Put S3WalStorage::put(const QString &relativePath, const QByteArray &bytes, const QString &plainSha256,
                                  bool replace, Error *error) {
    if (const Error c = m_session->configError()) {
        if (error)
            *error = withName(c);
        return Put::Failed;
    }
    const QString key = location(relativePath);
    const Error e = m_session->putObject(key, bytes, {{kPlainSha, plainSha256}}, /*createOnly=*/!replace);
    if (!e)
        return Put::Stored;
    if (!replace) {
        // 412: If-None-Match refused, the key holds an object already. A server that ignores the condition would
        // have replaced it; the HEAD tells the two apart from a real failure.
        Object existing;
        bool found = false;
        if (!stat(relativePath, &existing, &found) && found &&
            e.message.contains(QLatin1String("already holds an object")))
            return Put::Exists;
    }
    if (error)
        *error = withName(e);
    return Put::Failed;
}

Error S3WalStorage::get(const QString &relativePath, QByteArray *out, bool *found) {
    *found = false;
    const QString key = location(relativePath);
    MemorySink sink;
    int status = 0;
    S3ObjectInfo info;
    const Error head = m_session->headObject(key, &info, &status);
    if (head) {
        if (status == 404)
            return {};
        return withName(head);
    }
    if (const Error e = m_session->getObject(key, &sink))
        return withName(e);
    *out = sink.data();
    *found = true;
    return {};
}

Error S3WalStorage::stat(const QString &relativePath, Object *out, bool *found) {
    *found = false;
    S3ObjectInfo info;
    int status = 0;
    const Error head = m_session->headObject(location(relativePath), &info, &status);
    if (head)
        return status == 404 ? Error{} : withName(head);
    *found = true;
    out->relativePath = relativePath;
    out->size = info.size;
    out->modified = info.lastModified;
    out->plainSha256 = info.metadata.value(kPlainSha);
    return {};
}

Error S3WalStorage::list(const QString &prefix, QList<Object> *out) {
    S3ListResult result;
    const QString keyPrefix = location(prefix);
    if (const Error e = m_session->listAll(keyPrefix, {}, &result))
        return withName(e);
    const QString root = location(QString());
    const qsizetype strip = root.isEmpty() ? 0 : (root.endsWith(QLatin1Char('/')) ? root.size() : root.size() + 1);
    for (const S3ObjectInfo &o : std::as_const(result.objects))
        out->append({o.key.mid(strip), o.size, o.lastModified, {}});
    return {};
}

Error S3WalStorage::remove(const QString &relativePath) {
    if (const Error e = m_session->deleteObject(location(relativePath)))
        return withName(e);
    return {};
}

} // namespace lifeboat
