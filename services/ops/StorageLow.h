#pragma once

#include "catalog/StorageConfig.h"
#include "notify/Notification.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace lifeboat {

class Catalog;
class ConfigStore;

// storage.low: a local storage whose file system has less free space than its threshold (StorageConfig::
// alertFreeBelow: "N%" of the file system, a size such as "20G", empty for the default kDefault, "off" for never).
// Noticed by every runner (`run-due`, the desktop's tray runner) and told once per crossing: the storages told are
// kept in the settings key kSettingsKey, and a storage that has room again is forgotten, so the next crossing is
// told again. S3 storages are not measured (a bucket has no free space to read).
// A storage of either kind can also alert on growth instead (`storage add|set --alert-growth-above SIZE`, settings
// key kGrowthSettingsKey: storage name → size): the bytes Lifeboat stored there in the last 24 hours — the catalog's
// completed backups (base backups too) that finished in the window with a copy there, and the WAL files stored there
// in the window — over the threshold. A bucket is billed by what it holds; a sudden growth is a runaway schedule, a
// table that exploded or a retention rule that stopped removing. Told once per crossing as well (key "NAME#growth").
class StorageLow {
public:
    static constexpr const char *kSettingsKey = "storageLowAlerts";
    static constexpr const char *kGrowthSettingsKey = "storageGrowthAbove";
    static constexpr const char *kDefault = "5%";
    static constexpr qint64 kGrowthWindowSeconds = 24 * 3600;

    struct Low {
        QString key; // the storage's name; "NAME#growth" for growth
        StorageConfig storage;
        bool growth = false;
        qint64 freeBytes = 0;
        qint64 totalBytes = 0;
        qint64 grownBytes = 0; // growth: bytes stored in the window
        qint64 thresholdBytes = 0;
        Notification notification;
    };

    // Why `spec` is not a threshold (empty when it is): "N%" (0-100), a size with K, M, G or T (powers of 1024,
    // an optional B or iB), plain bytes, or "off".
    static QString checkSpec(const QString &spec);
    // The threshold in bytes for a file system of `totalBytes`; -1 for "off" or a bad spec.
    static qint64 thresholdBytes(const QString &spec, qint64 totalBytes);

    // Every local storage under its threshold now.
    static QList<Low> detect(const QList<StorageConfig> &storages);

    // Growth thresholds: a size (500M, 20G, 1T; plain bytes) or off.
    static QString checkGrowthSpec(const QString &spec);
    static qint64 growthThresholdBytes(const QString &spec); // -1 for off or a bad spec
    static QHash<QString, QString> growthThresholds(const ConfigStore &config);
    // Sets (or with "off"/empty, removes) a storage's growth threshold in the settings.
    static void setGrowthThreshold(ConfigStore *config, const QString &storage, const QString &spec);
    // Bytes Lifeboat stored on `storage` in (now - kGrowthWindowSeconds, now], from the catalog.
    static qint64 storedInWindow(Catalog *catalog, const QString &storage, const QDateTime &now);
    // Every storage with a growth threshold whose last 24 hours crossed it.
    static QList<Low> detectGrowth(Catalog *catalog, const QList<StorageConfig> &storages,
                                   const QHash<QString, QString> &thresholds, const QDateTime &now);
    // Both: what every runner checks (free space and growth), to be passed to untold() together.
    static QList<Low> detectAll(const ConfigStore &config, Catalog *catalog, const QDateTime &now);
    // The lows not yet told; `alerted` becomes the current lows (a storage with room again is forgotten).
    static QList<Low> untold(const QList<Low> &current, QStringList *alerted);
};

} // namespace lifeboat
