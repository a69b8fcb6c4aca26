#include "ops/StorageLow.h"

#include "catalog/Catalog.h"
#include "catalog/ConfigStore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QStorageInfo>

namespace lifeboat {

namespace {
QString bytes(qint64 n) {
    return QLocale::c().formattedDataSize(n, 1, QLocale::DataSizeTraditionalFormat);
}

// The directory itself, or its nearest existing parent (a storage whose directory is not made yet).
QString existingDir(const QString &path) {
    QFileInfo fi(path);
    while (!fi.exists() && !fi.absolutePath().isEmpty() && fi.absoluteFilePath() != QDir::rootPath())
        fi = QFileInfo(fi.absolutePath());
    return fi.absoluteFilePath();
}
} // namespace

QString StorageLow::checkSpec(const QString &spec) {
    if (thresholdBytes(spec, 1) >= 0 || spec.trimmed().compare(QLatin1String("off"), Qt::CaseInsensitive) == 0)
        return {};
    return QStringLiteral("\"%1\" is not a free-space threshold: give a percentage of the file system (5%), a size "
                          "(500M, 20G, 1T) or off")
        .arg(spec);
}

qint64 StorageLow::thresholdBytes(const QString &specIn, qint64 totalBytes) {
    const QString spec = specIn.trimmed().isEmpty() ? QLatin1String(kDefault) : specIn.trimmed();
    static const QRegularExpression percent(QStringLiteral("^(\\d+(?:\\.\\d+)?)\\s*%$"));
    static const QRegularExpression size(QStringLiteral("^(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(I?B)?$"),
                                         QRegularExpression::CaseInsensitiveOption);
    if (const auto m = percent.match(spec); m.hasMatch()) {
        const double p = m.captured(1).toDouble();
        return p >= 0 && p <= 100 ? qint64(double(totalBytes) * p / 100.0) : -1;
    }
    if (const auto m = size.match(spec); m.hasMatch()) {
        const QString unit = m.captured(2).toUpper();
        double factor = 1;
        for (const QChar c : QStringLiteral("KMGT")) {
            factor *= 1024;
            if (unit == c)
                return qint64(m.captured(1).toDouble() * factor);
        }
        return qint64(m.captured(1).toDouble());
    }
    return -1;
}

QList<StorageLow::Low> StorageLow::detect(const QList<StorageConfig> &storages) {
    QList<Low> out;
    for (const StorageConfig &s : storages) {
        if (!s.isLocal() || s.localDir.isEmpty())
            continue;
        const QStorageInfo fs(existingDir(s.localDir));
        if (!fs.isValid() || fs.bytesTotal() <= 0)
            continue;
        const qint64 threshold = thresholdBytes(s.alertFreeBelow, fs.bytesTotal());
        if (threshold < 0 || fs.bytesAvailable() >= threshold)
            continue;
        Low l;
        l.key = s.name;
        l.storage = s;
        l.freeBytes = fs.bytesAvailable();
        l.totalBytes = fs.bytesTotal();
        l.thresholdBytes = threshold;
        Notification &n = l.notification;
        n.event = QStringLiteral("storage.low");
        n.failure = true;
        n.subject = QStringLiteral("Lifeboat: storage %1 is low on space (%2 free of %3)")
                        .arg(s.name, bytes(l.freeBytes), bytes(l.totalBytes));
        n.text = QStringLiteral("The file system of storage %1 (%2) has %3 free of %4, under its alert threshold of "
                                "%5 (%6). Backups there fail when it is full.\nNext: free space on that file system or "
                                "expire old backups (`lifeboatctl prune --dry-run`, `lifeboatctl storage set %1 "
                                "--keep-…`); to change the threshold: `lifeboatctl storage set %1 --alert-free-below "
                                "SIZE|N%|off`.")
                     .arg(s.name, s.localDir, bytes(l.freeBytes), bytes(l.totalBytes), bytes(threshold),
                          s.alertFreeBelow.isEmpty() ? QStringLiteral("default %1").arg(QLatin1String(kDefault))
                                                     : s.alertFreeBelow);
        n.fields[QStringLiteral("storage")] = s.name;
        n.fields[QStringLiteral("path")] = s.localDir;
        n.fields[QStringLiteral("freeBytes")] = l.freeBytes;
        n.fields[QStringLiteral("totalBytes")] = l.totalBytes;
        n.fields[QStringLiteral("thresholdBytes")] = threshold;
        out << l;
    }
    return out;
}

QList<StorageLow::Low> StorageLow::untold(const QList<Low> &current, QStringList *alerted) {
    QList<Low> fresh;
    QStringList now;
    for (const Low &l : current) {
        now << l.key;
        if (!alerted->contains(l.key))
            fresh << l;
    }
    *alerted = now;
    return fresh;
}

QString StorageLow::checkGrowthSpec(const QString &spec) {
    if (growthThresholdBytes(spec) > 0 || spec.trimmed().compare(QLatin1String("off"), Qt::CaseInsensitive) == 0)
        return {};
    return QStringLiteral("\"%1\" is not a growth threshold: give a size (500M, 20G, 1T) or off").arg(spec);
}

qint64 StorageLow::growthThresholdBytes(const QString &spec) {
    // A percentage means nothing for growth (a bucket has no total); the size syntax is the free-space one.
    if (spec.trimmed().isEmpty() || spec.contains(QLatin1Char('%')))
        return -1;
    return thresholdBytes(spec, 1);
}

QHash<QString, QString> StorageLow::growthThresholds(const ConfigStore &config) {
    QHash<QString, QString> out;
    const QJsonObject o = QJsonDocument::fromJson(config.option(QLatin1String(kGrowthSettingsKey)).toUtf8()).object();
    for (auto it = o.begin(); it != o.end(); ++it)
        out.insert(it.key(), it.value().toString());
    return out;
}

void StorageLow::setGrowthThreshold(ConfigStore *config, const QString &storage, const QString &spec) {
    QJsonObject o = QJsonDocument::fromJson(config->option(QLatin1String(kGrowthSettingsKey)).toUtf8()).object();
    if (growthThresholdBytes(spec) > 0)
        o.insert(storage, spec.trimmed());
    else
        o.remove(storage);
    config->setOption(QLatin1String(kGrowthSettingsKey),
                      o.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
}

qint64 StorageLow::storedInWindow(Catalog *catalog, const QString &storage, const QDateTime &now) {
    const QDateTime from = now.addSecs(-kGrowthWindowSeconds);
    qint64 total = 0;
    // Records are filtered by start; a backup that ran for up to two days before finishing in the window counts.
    CatalogFilter filter;
    filter.since = from.addSecs(-2 * kGrowthWindowSeconds);
    for (const BackupRecord &r : catalog->list(filter)) {
        if (r.status != QLatin1String("COMPLETED") && r.status != QLatin1String("EXPIRED"))
            continue;
        if (!r.finished.isValid() || r.finished <= from || r.finished > now)
            continue;
        for (const BackupLocation &l : r.locations) {
            if (l.storage == storage) {
                total += r.size;
                break;
            }
        }
    }
    WalFileFilter wal;
    wal.storage = storage;
    for (const WalFileRecord &w : catalog->walFiles(wal)) {
        if (w.stored.isValid() && w.stored > from && w.stored <= now)
            total += w.size;
    }
    return total;
}

QList<StorageLow::Low> StorageLow::detectGrowth(Catalog *catalog, const QList<StorageConfig> &storages,
                                                const QHash<QString, QString> &thresholds, const QDateTime &now) {
    QList<Low> out;
    if (!catalog)
        return out;
    for (const StorageConfig &s : storages) {
        const qint64 threshold = growthThresholdBytes(thresholds.value(s.name));
        if (threshold <= 0)
            continue;
        const qint64 grown = storedInWindow(catalog, s.name, now);
        if (grown <= threshold)
            continue;
        Low l;
        l.key = s.name + QStringLiteral("#growth");
        l.storage = s;
        l.growth = true;
        l.grownBytes = grown;
        l.thresholdBytes = threshold;
        Notification &n = l.notification;
        n.event = QStringLiteral("storage.low");
        n.failure = true;
        const QString where = s.isS3() ? QStringLiteral("s3://%1/%2").arg(s.bucket, s.prefix) : s.localDir;
        n.subject = QStringLiteral("Lifeboat: storage %1 grew by %2 in 24 h (alert above %3)")
                        .arg(s.name, bytes(grown), bytes(threshold));
        n.text = QStringLiteral("Lifeboat stored %1 on storage %2 (%3) in the 24 hours up to %4 (backups and WAL), "
                                "over its growth threshold of %5.\nNext: find what grew with `lifeboatctl list "
                                "--since %6` (a schedule running too often, a table that grew, retention that no "
                                "longer removes: `lifeboatctl prune --dry-run`); to change the threshold: "
                                "`lifeboatctl storage set %2 --alert-growth-above SIZE|off`.")
                     .arg(bytes(grown), s.name, where, now.toUTC().toString(Qt::ISODate), bytes(threshold),
                          now.addSecs(-kGrowthWindowSeconds).toUTC().toString(Qt::ISODate));
        n.fields[QStringLiteral("storage")] = s.name;
        n.fields[QStringLiteral("kind")] = s.kind;
        n.fields[QStringLiteral("measure")] = QStringLiteral("growth");
        n.fields[QStringLiteral("grownBytes")] = grown;
        n.fields[QStringLiteral("windowSeconds")] = kGrowthWindowSeconds;
        n.fields[QStringLiteral("thresholdBytes")] = threshold;
        out << l;
    }
    return out;
}

QList<StorageLow::Low> StorageLow::detectAll(const ConfigStore &config, Catalog *catalog, const QDateTime &now) {
    return detect(config.storages()) + detectGrowth(catalog, config.storages(), growthThresholds(config), now);
}

} // namespace lifeboat
