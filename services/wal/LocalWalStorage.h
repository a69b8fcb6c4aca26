#pragma once

#include "wal/WalStorage.h"

namespace lifeboat {

// WAL in a local directory. A new object is written to a private temporary name beside it, fsynced and then linked
// to its final name (link(2) fails when the name exists, so two writers never replace each other's segment) or,
// for a replaceable partial segment, renamed over it; the directory is fsynced afterwards. The plain SHA-256 is set
// as an extended attribute on the temporary file, so it arrives with the name; a file system without user
// attributes gets a sidecar file NAME.lifeboat-sha256 instead, written before the object (a push killed in between
// leaves a sidecar without an object, never an encrypted object nothing can be compared with).
class LocalWalStorage : public WalStorage {
public:
    LocalWalStorage(QString name, QString rootDir);

    QString name() const override { return m_name; }
    QString kind() const override { return QStringLiteral("local"); }
    QString location(const QString &relativePath) const override;
    Put put(const QString &relativePath, const QByteArray &bytes, const QString &plainSha256, bool replace,
            Error *error) override;
    Error get(const QString &relativePath, QByteArray *out, bool *found) override;
    Error stat(const QString &relativePath, Object *out, bool *found) override;
    Error list(const QString &prefix, QList<Object> *out) override;
    Error remove(const QString &relativePath) override;

    // The same atomic write for any file (wal fetch's DEST): temporary name, fsync, link or rename, directory fsync.
    // plainSha256, when given: set as the extended attribute (or sidecar) before the final name appears.
    static Put writeFile(const QString &path, const QByteArray &bytes, bool replace, Error *error,
                         const QString &plainSha256 = {});
    // Whether a name is one of writeFile's temporary names (never a stored object).
    static bool isTemporaryName(const QString &fileName);
    // Whether a name is a sidecar holding an object's plain SHA-256 (never a stored object).
    static bool isSidecarName(const QString &fileName);

private:
    QString m_name;
    QString m_root;
};

} // namespace lifeboat
