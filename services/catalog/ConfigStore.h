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
//
// The desktop app and lifeboatctl (and several lifeboatctl at once) share the file, each holding its own copy in
// memory. save() therefore never writes a stale copy over someone else's change: under a lock file it re-reads
// the file and, if it changed since this copy was loaded or saved, merges — every named item (profile, storage,
// …) and option this copy changed, added or removed is applied to what is on disk; everything else stays as the
// other writer left it. Afterwards this copy holds the merged settings.
class ConfigStore {
public:
    explicit ConfigStore(QString path);

    bool load(QString *error);
    bool save(QString *error);
    QString path() const { return m_path; }
    // The settings as config.json holds them (the document save() writes).
    QJsonObject toJson() const;

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
    void fromJson(const QJsonObject &root);

    QString m_path;
    QJsonObject m_base; // the file's content when this copy last loaded or saved it: what "changed" is measured by
    QList<Profile> m_profiles;
    QList<StorageConfig> m_storages;
    QList<MirrorConfig> m_mirrors;
    QList<SetConfig> m_sets;
    QList<FileSourceConfig> m_fileSources;
    QList<RedisSourceConfig> m_redisSources;
    QJsonObject m_options;
};

} // namespace lifeboat
