#pragma once

#include "wal/WalStorage.h"

#include <memory>

namespace lifeboat {

class S3Session;

// WAL in a bucket: every object is one PutObject (a compressed segment fits in one request), which S3 stores whole
// or not at all; a new segment is sent with If-None-Match: * so an existing one is never replaced.
class S3WalStorage : public WalStorage {
public:
    S3WalStorage(QString name, std::shared_ptr<S3Session> session);
    ~S3WalStorage() override;

    QString name() const override { return m_name; }
    QString kind() const override { return QStringLiteral("s3"); }
    QString location(const QString &relativePath) const override;
    Put put(const QString &relativePath, const QByteArray &bytes, const QString &plainSha256, bool replace,
            Error *error) override;
    Error get(const QString &relativePath, QByteArray *out, bool *found) override;
    Error stat(const QString &relativePath, Object *out, bool *found) override;
    Error list(const QString &prefix, QList<Object> *out) override;
    Error remove(const QString &relativePath) override;

private:
    Error withName(const Error &e) const;

    QString m_name;
    std::shared_ptr<S3Session> m_session;
};

} // namespace lifeboat
