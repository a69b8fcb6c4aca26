#pragma once

#include "wal/WalStorage.h"

namespace lifeboat {

// WAL in a local directory. A new object is written to a private temporary name beside it, fsynced and then linked
// to its final name (link(2) fails when the name exists, so two writers never replace each other's segment) or,
// for a replaceable partial segment, renamed over it; the directory is fsynced afterwards.
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
    static Put writeFile(const QString &path, const QByteArray &bytes, bool replace, Error *error);
    // Whether a name is one of writeFile's temporary names (never a stored object).
    static bool isTemporaryName(const QString &fileName);

private:
    QString m_name;
    QString m_root;
};

} // namespace lifeboat
