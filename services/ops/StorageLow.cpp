#include "ops/StorageLow.h"

#include <QDir>
#include <QFileInfo>
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

} // namespace lifeboat
