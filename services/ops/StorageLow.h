#pragma once

#include "catalog/StorageConfig.h"
#include "notify/Notification.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace lifeboat {

// storage.low: a local storage whose file system has less free space than its threshold (StorageConfig::
// alertFreeBelow: "N%" of the file system, a size such as "20G", empty for the default kDefault, "off" for never).
// Noticed by every runner (`run-due`, the desktop's tray runner) and told once per crossing: the storages told are
// kept in the settings key kSettingsKey, and a storage that has room again is forgotten, so the next crossing is
// told again. S3 storages are not measured (a bucket has no free space to read).
class StorageLow {
public:
    static constexpr const char *kSettingsKey = "storageLowAlerts";
    static constexpr const char *kDefault = "5%";

    struct Low {
        QString key; // the storage's name
        StorageConfig storage;
        qint64 freeBytes = 0;
        qint64 totalBytes = 0;
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
    // The lows not yet told; `alerted` becomes the current lows (a storage with room again is forgotten).
    static QList<Low> untold(const QList<Low> &current, QStringList *alerted);
};

} // namespace lifeboat
