#include "catalog/ConfigStore.h"

#include "catalog/AuditTrail.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QRegularExpression>
#include <QSaveFile>

namespace lifeboat {

namespace {
QJsonArray toArray(const QStringList &l) {
    return QJsonArray::fromStringList(l);
}
QStringList toList(const QJsonValue &v) {
    QStringList out;
    for (const auto &x : v.toArray())
        out << x.toString();
    return out;
}

QJsonObject profileToJson(const Profile &p) {
    return {{QStringLiteral("name"), p.name},
            {QStringLiteral("conninfo"), p.conninfo},
            {QStringLiteral("production"), p.production},
            {QStringLiteral("defaultStorages"), toArray(p.defaultStorages)},
            {QStringLiteral("excludeTables"), toArray(p.excludeTables)},
            {QStringLiteral("recipients"), toArray(p.recipients)},
            {QStringLiteral("globals"), p.globals},
            {QStringLiteral("globalsRolePasswords"), p.globalsRolePasswords},
            {QStringLiteral("postRestoreCommand"), p.postRestoreCommand},
            {QStringLiteral("continuous"), p.continuous},
            {QStringLiteral("partialUploadSeconds"), p.partialUploadSeconds}};
}

Profile profileFromJson(const QJsonObject &o) {
    Profile p;
    p.name = o.value(QStringLiteral("name")).toString();
    p.conninfo = o.value(QStringLiteral("conninfo")).toString();
    p.production = o.value(QStringLiteral("production")).toBool();
    p.defaultStorages = toList(o.value(QStringLiteral("defaultStorages")));
    p.excludeTables = toList(o.value(QStringLiteral("excludeTables")));
    p.recipients = toList(o.value(QStringLiteral("recipients")));
    p.postRestoreCommand = o.value(QStringLiteral("postRestoreCommand")).toString();
    p.globals = o.value(QStringLiteral("globals")).toBool();
    p.globalsRolePasswords = o.value(QStringLiteral("globalsRolePasswords")).toBool();
    p.continuous = o.value(QStringLiteral("continuous")).toBool();
    p.partialUploadSeconds = o.value(QStringLiteral("partialUploadSeconds")).toInt(60);
    return p;
}

QJsonObject storageToJson(const StorageConfig &s) {
    QJsonObject o{{QStringLiteral("name"), s.name},
                  {QStringLiteral("kind"), s.kind},
                  {QStringLiteral("localDir"), s.localDir},
                  {QStringLiteral("endpoint"), s.endpoint},
                  {QStringLiteral("bucket"), s.bucket},
                  {QStringLiteral("region"), s.region},
                  {QStringLiteral("prefix"), s.prefix},
                  {QStringLiteral("pathStyle"), s.pathStyle},
                  {QStringLiteral("accessKeyId"), s.accessKeyId},
                  {QStringLiteral("awsProfile"), s.awsProfile},
                  {QStringLiteral("caFile"), s.caFile},
                  {QStringLiteral("storageClass"), s.storageClass},
                  {QStringLiteral("keepLast"), s.keepLast},
                  {QStringLiteral("keepHourly"), s.keepHourly},
                  {QStringLiteral("keepDaily"), s.keepDaily},
                  {QStringLiteral("keepWeekly"), s.keepWeekly},
                  {QStringLiteral("keepMonthly"), s.keepMonthly},
                  {QStringLiteral("keepYearly"), s.keepYearly},
                  {QStringLiteral("keepWithinSeconds"), s.keepWithinSeconds}};
    if (!s.archiveTo.isEmpty()) // files of storages without one read as before
        o.insert(QStringLiteral("archiveTo"), s.archiveTo);
    if (!s.alertFreeBelow.isEmpty())
        o.insert(QStringLiteral("alertFreeBelow"), s.alertFreeBelow);
    return o;
}

StorageConfig storageFromJson(const QJsonObject &o) {
    StorageConfig s;
    s.name = o.value(QStringLiteral("name")).toString();
    s.kind = o.value(QStringLiteral("kind")).toString(QStringLiteral("local"));
    s.localDir = o.value(QStringLiteral("localDir")).toString();
    s.endpoint = o.value(QStringLiteral("endpoint")).toString();
    s.bucket = o.value(QStringLiteral("bucket")).toString();
    s.region = o.value(QStringLiteral("region")).toString(QStringLiteral("us-east-1"));
    s.prefix = o.value(QStringLiteral("prefix")).toString();
    s.pathStyle = o.value(QStringLiteral("pathStyle")).toBool();
    s.accessKeyId = o.value(QStringLiteral("accessKeyId")).toString();
    s.awsProfile = o.value(QStringLiteral("awsProfile")).toString();
    s.caFile = o.value(QStringLiteral("caFile")).toString();
    s.storageClass = o.value(QStringLiteral("storageClass")).toString();
    // Absent in files of older versions: no rule of the storage's own.
    s.keepLast = o.value(QStringLiteral("keepLast")).toInt(-1);
    s.keepHourly = o.value(QStringLiteral("keepHourly")).toInt(-1);
    s.keepDaily = o.value(QStringLiteral("keepDaily")).toInt(-1);
    s.keepWeekly = o.value(QStringLiteral("keepWeekly")).toInt(-1);
    s.keepMonthly = o.value(QStringLiteral("keepMonthly")).toInt(-1);
    s.keepYearly = o.value(QStringLiteral("keepYearly")).toInt(-1);
    s.keepWithinSeconds = o.value(QStringLiteral("keepWithinSeconds")).toInteger(-1);
    s.archiveTo = o.value(QStringLiteral("archiveTo")).toString();
    s.alertFreeBelow = o.value(QStringLiteral("alertFreeBelow")).toString();
    return s;
}
QJsonObject mirrorToJson(const MirrorConfig &m) {
    return {{QStringLiteral("name"), m.name},
            {QStringLiteral("sourceStorage"), m.sourceStorage},
            {QStringLiteral("sourcePrefix"), m.sourcePrefix},
            {QStringLiteral("storage"), m.storage}};
}

MirrorConfig mirrorFromJson(const QJsonObject &o) {
    MirrorConfig m;
    m.name = o.value(QStringLiteral("name")).toString();
    m.sourceStorage = o.value(QStringLiteral("sourceStorage")).toString();
    m.sourcePrefix = o.value(QStringLiteral("sourcePrefix")).toString();
    m.storage = o.value(QStringLiteral("storage")).toString();
    return m;
}

QJsonObject setToJson(const SetConfig &s) {
    return {{QStringLiteral("name"), s.name},
            {QStringLiteral("profile"), s.profile},
            {QStringLiteral("files"), toArray(s.files)},
            {QStringLiteral("mirrors"), toArray(s.mirrors)},
            {QStringLiteral("redis"), toArray(s.redis)},
            {QStringLiteral("storages"), toArray(s.storages)},
            {QStringLiteral("cron"), s.cron},
            {QStringLiteral("timeZone"), s.timeZone},
            {QStringLiteral("created"), s.created},
            {QStringLiteral("keepDaily"), s.keepDaily},
            {QStringLiteral("keepWeekly"), s.keepWeekly},
            {QStringLiteral("keepMonthly"), s.keepMonthly},
            {QStringLiteral("keepHourly"), s.keepHourly},
            {QStringLiteral("keepYearly"), s.keepYearly},
            {QStringLiteral("keepLast"), s.keepLast},
            {QStringLiteral("keepWithinSeconds"), s.keepWithinSeconds}};
}

SetConfig setFromJson(const QJsonObject &o) {
    SetConfig s;
    s.name = o.value(QStringLiteral("name")).toString();
    s.profile = o.value(QStringLiteral("profile")).toString();
    s.files = toList(o.value(QStringLiteral("files")));
    s.mirrors = toList(o.value(QStringLiteral("mirrors")));
    s.redis = toList(o.value(QStringLiteral("redis")));
    s.storages = toList(o.value(QStringLiteral("storages")));
    s.cron = o.value(QStringLiteral("cron")).toString();
    s.timeZone = o.value(QStringLiteral("timeZone")).toString();
    s.created = o.value(QStringLiteral("created")).toString();
    s.keepDaily = o.value(QStringLiteral("keepDaily")).toInt(-1);
    s.keepWeekly = o.value(QStringLiteral("keepWeekly")).toInt(-1);
    s.keepMonthly = o.value(QStringLiteral("keepMonthly")).toInt(-1);
    s.keepHourly = o.value(QStringLiteral("keepHourly")).toInt(-1);
    s.keepYearly = o.value(QStringLiteral("keepYearly")).toInt(-1);
    s.keepLast = o.value(QStringLiteral("keepLast")).toInt(-1);
    s.keepWithinSeconds = o.value(QStringLiteral("keepWithinSeconds")).toInteger(-1);
    return s;
}

QJsonObject fileSourceToJson(const FileSourceConfig &f) {
    return {{QStringLiteral("name"), f.name},
            {QStringLiteral("path"), f.path},
            {QStringLiteral("excludes"), toArray(f.excludes)},
            {QStringLiteral("compression"), f.compression},
            {QStringLiteral("storages"), toArray(f.storages)},
            {QStringLiteral("recipients"), toArray(f.recipients)}};
}

FileSourceConfig fileSourceFromJson(const QJsonObject &o) {
    FileSourceConfig f;
    f.name = o.value(QStringLiteral("name")).toString();
    f.path = o.value(QStringLiteral("path")).toString();
    f.excludes = toList(o.value(QStringLiteral("excludes")));
    f.compression = o.value(QStringLiteral("compression")).toString(QStringLiteral("zstd"));
    f.storages = toList(o.value(QStringLiteral("storages")));
    f.recipients = toList(o.value(QStringLiteral("recipients")));
    return f;
}

QJsonObject redisSourceToJson(const RedisSourceConfig &r) {
    return {{QStringLiteral("name"), r.name},
            {QStringLiteral("url"), r.url},
            {QStringLiteral("compression"), r.compression},
            {QStringLiteral("caFile"), r.caFile},
            {QStringLiteral("rdbPath"), r.rdbPath},
            {QStringLiteral("storages"), toArray(r.storages)},
            {QStringLiteral("recipients"), toArray(r.recipients)}};
}

RedisSourceConfig redisSourceFromJson(const QJsonObject &o) {
    RedisSourceConfig r;
    r.name = o.value(QStringLiteral("name")).toString();
    r.url = o.value(QStringLiteral("url")).toString();
    r.compression = o.value(QStringLiteral("compression")).toString(QStringLiteral("gzip"));
    r.caFile = o.value(QStringLiteral("caFile")).toString();
    r.rdbPath = o.value(QStringLiteral("rdbPath")).toString();
    r.storages = toList(o.value(QStringLiteral("storages")));
    r.recipients = toList(o.value(QStringLiteral("recipients")));
    return r;
}

template <typename T> std::optional<T> findNamed(const QList<T> &list, const QString &name) {
    for (const auto &x : list) {
        if (x.name == name)
            return x;
    }
    return std::nullopt;
}

template <typename T> void upsertNamed(QList<T> &list, const T &item) {
    for (auto &x : list) {
        if (x.name == item.name) {
            x = item;
            return;
        }
    }
    list.append(item);
}

// Three-way merge of one list of named items (profiles, storages, …): `mine` is this copy's list, `base` what it
// was when this copy last read or wrote the file, `disk` what the file holds now. An item this copy did not
// change keeps its state on disk (added, edited or removed by the other writer); an item it changed, added or
// removed takes this copy's state. Order: the file's, then this copy's additions.
QJsonArray mergeNamed(const QJsonArray &base, const QJsonArray &mine, const QJsonArray &disk) {
    auto byName = [](const QJsonArray &a) {
        QHash<QString, QJsonObject> h;
        for (const auto &v : a)
            h.insert(v.toObject().value(QStringLiteral("name")).toString(), v.toObject());
        return h;
    };
    const auto b = byName(base), m = byName(mine), d = byName(disk);
    QJsonArray out;
    for (const auto &v : disk) {
        const QString name = v.toObject().value(QStringLiteral("name")).toString();
        const bool changedHere = b.contains(name) != m.contains(name) || b.value(name) != m.value(name);
        if (!changedHere)
            out.append(v);
        else if (m.contains(name))
            out.append(m.value(name));
    }
    for (const auto &v : mine) {
        const QString name = v.toObject().value(QStringLiteral("name")).toString();
        if (d.contains(name))
            continue;
        // Not on disk: new here, or removed by the other writer (kept only if this copy changed it since).
        if (!b.contains(name) || b.value(name) != v.toObject())
            out.append(v);
    }
    return out;
}

// The same for the free-form options, key by key.
QJsonObject mergeOptions(const QJsonObject &base, const QJsonObject &mine, const QJsonObject &disk) {
    QJsonObject out = disk;
    QStringList keys = base.keys() + mine.keys();
    keys.removeDuplicates();
    for (const QString &k : keys) {
        if (base.contains(k) == mine.contains(k) && base.value(k) == mine.value(k))
            continue; // not changed here
        if (mine.contains(k))
            out.insert(k, mine.value(k));
        else
            out.remove(k);
    }
    return out;
}

QJsonObject mergeSettings(const QJsonObject &base, const QJsonObject &mine, const QJsonObject &disk) {
    QJsonObject out = disk; // keys this version does not know survive
    for (auto it = mine.begin(); it != mine.end(); ++it) {
        const QString &key = it.key();
        if (it->isArray()) // lists of named items
            out.insert(key, mergeNamed(base.value(key).toArray(), it->toArray(), disk.value(key).toArray()));
        else if (it->isObject()) // options
            out.insert(key, mergeOptions(base.value(key).toObject(), it->toObject(), disk.value(key).toObject()));
        else if (base.value(key) != *it)
            out.insert(key, *it);
    }
    return out;
}
} // namespace

ConfigStore::ConfigStore(QString path)
    : m_path(std::move(path)) {}

bool ConfigStore::isValidName(const QString &name) {
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"));
    return re.match(name).hasMatch();
}

bool ConfigStore::load(QString *error) {
    fromJson({});
    m_base = {};
    QFile f(m_path);
    if (!f.exists())
        return true;
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(m_path, f.errorString());
        return false;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (!doc.isObject()) {
        if (error)
            *error = QStringLiteral("%1 is not valid JSON (%2); fix or remove it").arg(m_path, pe.errorString());
        return false;
    }
    m_base = doc.object();
    fromJson(m_base);
    return true;
}

void ConfigStore::fromJson(const QJsonObject &root) {
    m_profiles.clear();
    m_storages.clear();
    m_mirrors.clear();
    m_sets.clear();
    m_fileSources.clear();
    m_redisSources.clear();
    for (const auto &v : root.value(QStringLiteral("profiles")).toArray())
        m_profiles.append(profileFromJson(v.toObject()));
    for (const auto &v : root.value(QStringLiteral("storages")).toArray())
        m_storages.append(storageFromJson(v.toObject()));
    for (const auto &v : root.value(QStringLiteral("mirrors")).toArray())
        m_mirrors.append(mirrorFromJson(v.toObject()));
    for (const auto &v : root.value(QStringLiteral("sets")).toArray())
        m_sets.append(setFromJson(v.toObject()));
    for (const auto &v : root.value(QStringLiteral("fileSources")).toArray())
        m_fileSources.append(fileSourceFromJson(v.toObject()));
    for (const auto &v : root.value(QStringLiteral("redisSources")).toArray())
        m_redisSources.append(redisSourceFromJson(v.toObject()));
    m_options = root.value(QStringLiteral("options")).toObject();
}

QJsonObject ConfigStore::toJson() const {
    QJsonArray profiles, storages;
    for (const auto &p : m_profiles)
        profiles.append(profileToJson(p));
    for (const auto &s : m_storages)
        storages.append(storageToJson(s));
    QJsonObject root{{QStringLiteral("version"), 1},
                     {QStringLiteral("profiles"), profiles},
                     {QStringLiteral("storages"), storages},
                     {QStringLiteral("options"), m_options}};
    QJsonArray mirrors, sets;
    for (const auto &m : m_mirrors)
        mirrors.append(mirrorToJson(m));
    for (const auto &s : m_sets)
        sets.append(setToJson(s));
    root.insert(QStringLiteral("mirrors"), mirrors);
    root.insert(QStringLiteral("sets"), sets);
    QJsonArray fileSources, redisSources;
    for (const auto &f : m_fileSources)
        fileSources.append(fileSourceToJson(f));
    for (const auto &r : m_redisSources)
        redisSources.append(redisSourceToJson(r));
    root.insert(QStringLiteral("fileSources"), fileSources);
    root.insert(QStringLiteral("redisSources"), redisSources);
    return root;
}

bool ConfigStore::save(QString *error) {
    // One writer at a time: between re-reading the file and renaming the new one over it, nobody else may write.
    QLockFile lock(m_path + QStringLiteral(".lock"));
    lock.setStaleLockTime(30000);
    if (!lock.tryLock(10000)) {
        if (error)
            *error = QStringLiteral("cannot write %1: another Lifeboat process holds %1.lock — try again; if no "
                                    "lifeboat or lifeboatctl is running, delete the lock file")
                         .arg(m_path);
        return false;
    }
    QJsonObject root = toJson();
    const QJsonObject mine = root; // what this copy changed, for the audit trail (not others' merged changes)
    QFile current(m_path);
    if (current.exists()) {
        if (!current.open(QIODevice::ReadOnly)) {
            if (error)
                *error = QStringLiteral("cannot read %1: %2").arg(m_path, current.errorString());
            return false;
        }
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(current.readAll(), &pe);
        current.close();
        if (!doc.isObject()) {
            // Never replace a file we cannot read: it may hold settings someone is editing by hand.
            if (error)
                *error = QStringLiteral("%1 is not valid JSON (%2); fix or remove it — nothing was saved")
                             .arg(m_path, pe.errorString());
            return false;
        }
        const QJsonObject disk = doc.object();
        if (disk != m_base)
            root = mergeSettings(m_base, root, disk);
    }
    QSaveFile f(m_path);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(m_path, f.errorString());
        return false;
    }
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!f.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(m_path, f.errorString());
        return false;
    }
    AuditTrail::recordConfigChanges(m_base, mine);
    m_base = root;
    fromJson(root);
    return true;
}

std::optional<Profile> ConfigStore::profile(const QString &name) const {
    for (const auto &p : m_profiles) {
        if (p.name == name)
            return p;
    }
    return std::nullopt;
}

void ConfigStore::upsertProfile(const Profile &p) {
    for (auto &x : m_profiles) {
        if (x.name == p.name) {
            x = p;
            return;
        }
    }
    m_profiles.append(p);
}

bool ConfigStore::removeProfile(const QString &name) {
    return m_profiles.removeIf([&](const Profile &p) { return p.name == name; }) > 0;
}

std::optional<StorageConfig> ConfigStore::storage(const QString &name) const {
    for (const auto &s : m_storages) {
        if (s.name == name)
            return s;
    }
    return std::nullopt;
}

void ConfigStore::upsertStorage(const StorageConfig &s) {
    for (auto &x : m_storages) {
        if (x.name == s.name) {
            x = s;
            return;
        }
    }
    m_storages.append(s);
}

bool ConfigStore::removeStorage(const QString &name) {
    return m_storages.removeIf([&](const StorageConfig &s) { return s.name == name; }) > 0;
}

std::optional<MirrorConfig> ConfigStore::mirror(const QString &name) const {
    return findNamed(m_mirrors, name);
}

void ConfigStore::upsertMirror(const MirrorConfig &m) {
    upsertNamed(m_mirrors, m);
}

bool ConfigStore::removeMirror(const QString &name) {
    return m_mirrors.removeIf([&](const MirrorConfig &m) { return m.name == name; }) > 0;
}

std::optional<SetConfig> ConfigStore::set(const QString &name) const {
    return findNamed(m_sets, name);
}

void ConfigStore::upsertSet(const SetConfig &s) {
    upsertNamed(m_sets, s);
}

bool ConfigStore::removeSet(const QString &name) {
    return m_sets.removeIf([&](const SetConfig &s) { return s.name == name; }) > 0;
}

std::optional<FileSourceConfig> ConfigStore::fileSource(const QString &name) const {
    return findNamed(m_fileSources, name);
}

void ConfigStore::upsertFileSource(const FileSourceConfig &f) {
    upsertNamed(m_fileSources, f);
}

bool ConfigStore::removeFileSource(const QString &name) {
    return m_fileSources.removeIf([&](const FileSourceConfig &f) { return f.name == name; }) > 0;
}

std::optional<RedisSourceConfig> ConfigStore::redisSource(const QString &name) const {
    return findNamed(m_redisSources, name);
}

void ConfigStore::upsertRedisSource(const RedisSourceConfig &r) {
    upsertNamed(m_redisSources, r);
}

bool ConfigStore::removeRedisSource(const QString &name) {
    return m_redisSources.removeIf([&](const RedisSourceConfig &r) { return r.name == name; }) > 0;
}

QString ConfigStore::option(const QString &key, const QString &fallback) const {
    return m_options.value(key).toString(fallback);
}

void ConfigStore::setOption(const QString &key, const QString &value) {
    m_options[key] = value;
}

} // namespace lifeboat
