#pragma once

#include "catalog/StorageConfig.h"
#include "core/ExitCode.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>

namespace lifeboat {

// One archive storage as WAL sees it: small whole objects (a compressed segment is at most its 16 MiB or so)
// written atomically under a relative path, read back whole, listed and removed. A stored object carries the
// SHA-256 of its plain bytes (S3: x-amz-meta-plain-sha256; local: the user.lifeboat.plain_sha256 extended
// attribute, or a NAME.lifeboat-sha256 sidecar where the file system has no user attributes), so a repeated push can be
// compared even when the catalog lost its row and the object is encrypted.
class WalStorage {
public:
    struct Object {
        QString relativePath;
        qint64 size = -1;
        QDateTime modified;
        QString plainSha256; // empty when unknown
    };
    enum class Put { Stored, Exists, Failed };

    virtual ~WalStorage() = default;

    virtual QString name() const = 0;
    virtual QString kind() const = 0; // local | s3
    // Where the object is, for the catalog: the local file's path or the S3 key.
    virtual QString location(const QString &relativePath) const = 0;
    // Writes the object whole or not at all. replace=false: an existing object is left alone (Put::Exists).
    virtual Put put(const QString &relativePath, const QByteArray &bytes, const QString &plainSha256, bool replace,
                    Error *error) = 0;
    // *found=false (and no error) when there is no such object.
    virtual Error get(const QString &relativePath, QByteArray *out, bool *found) = 0;
    virtual Error stat(const QString &relativePath, Object *out, bool *found) = 0;
    // Every object whose relative path starts with prefix (recursively).
    virtual Error list(const QString &prefix, QList<Object> *out) = 0;
    virtual Error remove(const QString &relativePath) = 0;

    // A local directory or an S3 bucket; secret is the storage's S3 secret key (StoreFactory rules).
    static std::unique_ptr<WalStorage> open(const StorageConfig &config, const QString &secret, Error *error);
};

} // namespace lifeboat
