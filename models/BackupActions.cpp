#include "models/BackupActions.h"

#include "jobs/ArtifactReader.h"

#include <QCoreApplication>
#include <QFile>

namespace lifeboat {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("lifeboat::BackupActions", text);
}
} // namespace

bool BackupActions::isYoungerThanGuard(const BackupRecord &record, const QDateTime &now) {
    return record.started.isValid() && record.started.secsTo(now) < kDeleteGuardSecs;
}

BackupActions::Outcome BackupActions::download(const BackupRecord &record, const QList<StorageConfig> &storages,
                                               const QString &dir) {
    Outcome o;
    if (record.status != BackupRecord::statusCompleted()) {
        o.error = {ExitCode::Usage,
                   tr("backup #%1 is %2; only completed backups can be downloaded").arg(record.id).arg(record.status)};
        return o;
    }
    ArtifactReader reader(storages);
    if (!reader.downloadTo(record, dir, &o.path))
        o.error = reader.error();
    return o;
}

BackupActions::Outcome BackupActions::remove(const std::shared_ptr<Catalog> &catalog, qint64 id, bool force) {
    Outcome o;
    auto record = catalog->get(id);
    if (!record) {
        o.error = {ExitCode::Usage, tr("no backup with id %1").arg(id)};
        return o;
    }
    if (record->status == BackupRecord::statusInProgress()) {
        o.error = {ExitCode::Refused, tr("backup #%1 is still in progress; cancel it first").arg(id)};
        return o;
    }
    if (record->status == BackupRecord::statusDeleted()) {
        o.error = {ExitCode::Usage, tr("backup #%1 is already deleted").arg(id)};
        return o;
    }
    if (isYoungerThanGuard(*record) && !force) {
        o.error = {ExitCode::Refused, tr("backup #%1 is younger than 24 hours; confirm to delete it anyway").arg(id)};
        return o;
    }
    QStringList problems;
    for (const BackupLocation &loc : record->locations) {
        if (loc.kind != QLatin1String("local")) {
            problems << tr("%1: cannot delete from %2 storage yet").arg(loc.storage, loc.kind);
            continue;
        }
        for (const QString &f : {loc.path, loc.manifestPath}) {
            if (!f.isEmpty() && QFile::exists(f) && !QFile::remove(f))
                problems << tr("cannot remove %1").arg(f);
        }
    }
    if (!problems.isEmpty()) {
        o.error = {ExitCode::Transfer, problems.join(QStringLiteral("; "))};
        return o;
    }
    record->status = BackupRecord::statusDeleted();
    QString err;
    if (!catalog->update(*record, &err))
        o.error = {ExitCode::Usage, err};
    return o;
}

BackupActions::Outcome BackupActions::readManifest(const BackupRecord &record) {
    Outcome o;
    for (const BackupLocation &loc : record.locations) {
        if (loc.kind != QLatin1String("local") || loc.manifestPath.isEmpty())
            continue;
        QFile f(loc.manifestPath);
        if (f.open(QIODevice::ReadOnly)) {
            o.bytes = f.readAll();
            o.path = loc.manifestPath;
            return o;
        }
        o.error = {ExitCode::Transfer, tr("cannot read %1: %2").arg(loc.manifestPath, f.errorString())};
    }
    if (!o.error)
        o.error = {ExitCode::Usage, tr("backup #%1 has no local copy with a manifest").arg(record.id)};
    return o;
}

} // namespace lifeboat
