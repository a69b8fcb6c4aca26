#pragma once

#include "catalog/FileSourceConfig.h"
#include "catalog/MirrorConfig.h"
#include "catalog/Profile.h"
#include "catalog/RedisSourceConfig.h"
#include "catalog/SetConfig.h"
#include "catalog/StorageConfig.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace lifeboat {

// Settings in LIFEBOAT_HOME/config.json: profiles, storages and general options. Written atomically (QSaveFile),
// mode 0600; holds no secrets.
class ConfigStore {
public:
    explicit ConfigStore(QString path);

    bool load(QString *error);
    bool save(QString *error) const;

    const QList<Profile> &profiles() const { return m_profiles; }
    std::optional<Profile> profile(const QString &name) const;
    void upsertProfile(const Profile &p);
    bool removeProfile(const QString &name);

    const QList<StorageConfig> &storages() const { return m_storages; }
    std::optional<StorageConfig> storage(const QString &name) const;
    void upsertStorage(const StorageConfig &s);
    bool removeStorage(const QString &name);

    const QList<MirrorConfig> &mirrors() const { return m_mirrors; }
    std::optional<MirrorConfig> mirror(const QString &name) const;
    void upsertMirror(const MirrorConfig &m);
    bool removeMirror(const QString &name);

    const QList<FileSourceConfig> &fileSources() const { return m_fileSources; }
    std::optional<FileSourceConfig> fileSource(const QString &name) const;
    void upsertFileSource(const FileSourceConfig &f);
    bool removeFileSource(const QString &name);

    const QList<RedisSourceConfig> &redisSources() const { return m_redisSources; }
    std::optional<RedisSourceConfig> redisSource(const QString &name) const;
    void upsertRedisSource(const RedisSourceConfig &r);
    bool removeRedisSource(const QString &name);

    const QList<SetConfig> &sets() const { return m_sets; }
    std::optional<SetConfig> set(const QString &name) const;
    void upsertSet(const SetConfig &s);
    bool removeSet(const QString &name);

    // Free-form settings: "pgToolDir", "catalogUri", …
    QString option(const QString &key, const QString &fallback = {}) const;
    void setOption(const QString &key, const QString &value);

    static bool isValidName(const QString &name);

private:
    QString m_path;
    QList<Profile> m_profiles;
    QList<StorageConfig> m_storages;
    QList<MirrorConfig> m_mirrors;
    QList<SetConfig> m_sets;
    QList<FileSourceConfig> m_fileSources;
    QList<RedisSourceConfig> m_redisSources;
    QJsonObject m_options;
};

} // namespace lifeboat
