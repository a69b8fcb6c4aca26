#include "jobs/StartupRecovery.h"

#include "catalog/GlobalsCompanion.h"
#include "core/ProcessIdentity.h"
#include "core/ScratchSweeper.h"
#include "jobs/StoreFactory.h"
#include "storage/S3Session.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QSysInfo>

namespace lifeboat {

namespace {

QString human(qint64 bytes) {
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString runName(const BackupRecord &r) {
    return QStringLiteral("interrupted backup #%1 (%2, pid %3)").arg(r.id).arg(r.filename).arg(r.pid);
}

} // namespace

QString StartupRecovery::Report::summary() const {
    QStringList parts;
    if (records)
        parts << QStringLiteral("%1 interrupted run(s) marked FAILED").arg(records);
    if (partials)
        parts << QStringLiteral("%1 partial file(s) removed").arg(partials);
    if (uploads)
        parts << QStringLiteral("%1 multipart upload(s) aborted").arg(uploads);
    if (scratch)
        parts << QStringLiteral("%1 scratch file(s)/directorie(s) of dead processes removed").arg(scratch);
    if (problems)
        parts << QStringLiteral("%1 item(s) could not be cleaned").arg(problems);
    return parts.join(QStringLiteral(", "));
}

StartupRecovery::StartupRecovery(Catalog &catalog, QList<StorageConfig> storages, SecretLookup secretFor)
    : m_catalog(catalog)
    , m_storages(std::move(storages))
    , m_secretFor(std::move(secretFor)) {}

QList<BackupRecord> StartupRecovery::interruptedRecords() {
    CatalogFilter f;
    f.status = BackupRecord::statusInProgress();
    const QString host = QSysInfo::machineHostName(); // the name the jobs record
    QList<BackupRecord> out;
    for (const BackupRecord &r : m_catalog.list(f)) {
        if (!r.owner.isEmpty()) {
            // The exact owner (machine, boot, pid namespace, pid, start ticks): dead only when it certainly is.
            // Another machine's or pid namespace's run may be alive there, whatever its host name.
            if (ProcessIdentity::ownerState(r.owner) == ProcessIdentity::OwnerState::Dead)
                out << r;
            continue;
        }
        // A record of an older version, with only host name and pid: marked FAILED when no process has that pid,
        // but its files are left alone (recover()), since a host name does not say which machine wrote them.
        if (r.host != host || ProcessIdentity::isRunning(r.pid))
            continue;
        out << r;
    }
    return out;
}

StartupRecovery::Report StartupRecovery::run() {
    Report report;
    for (const BackupRecord &r : interruptedRecords())
        recover(r, report);
    retryPending(report);
    for (const ScratchSweeper::Item &item : ScratchSweeper::sweep(m_scratchDir)) {
        if (item.removed) {
            ++report.scratch;
            report.lines << QStringLiteral("removed %1: %2").arg(item.what, item.path);
        } else {
            ++report.problems;
            report.lines << QStringLiteral("left %1: %2 — %3").arg(item.what, item.path, item.problem);
        }
    }
    return report;
}

void StartupRecovery::recover(BackupRecord record, Report &report) {
    QStringList notes;             // what the record's error says beyond "interrupted"
    QList<BackupLocation> pending; // locations whose cleanup did not happen: kept so the next start retries
    const bool exactOwner = !record.owner.isEmpty();
    if (!exactOwner && !record.locations.isEmpty()) {
        const QString why =
            QStringLiteral("the record names no exact owner (made by an older version), so what the run left at its "
                           "locations was not touched: remove any .partial file or unfinished upload by hand");
        report.lines << QStringLiteral("%1: %2").arg(runName(record), why);
        notes << why;
    }
    for (const BackupLocation &loc : std::as_const(record.locations)) {
        if (!exactOwner)
            break;
        const StorageConfig *sc = nullptr;
        for (const StorageConfig &s : std::as_const(m_storages))
            if (s.name == loc.storage)
                sc = &s;
        if (!sc || sc->kind != loc.kind) {
            ++report.problems;
            const QString why = QStringLiteral("storage \"%1\" is not configured here as %2: whatever the run left "
                                               "there (%3) was not cleaned; cleanup is pending and is retried at the "
                                               "next start")
                                    .arg(loc.storage, loc.kind, loc.path);
            report.lines << QStringLiteral("%1: %2").arg(runName(record), why);
            notes << why;
            pending << loc;
            continue;
        }
        bool done = true;
        notes += loc.kind == QLatin1String("s3") ? cleanS3(record, loc, *sc, report, &done)
                                                 : cleanLocal(record, loc, *sc, report, &done);
        if (!done)
            pending << loc;
    }
    record.status = BackupRecord::statusFailed();
    record.error = QStringLiteral("interrupted: the process that ran this backup (pid %1) is gone").arg(record.pid);
    if (!notes.isEmpty())
        record.error += QStringLiteral("; ") + notes.join(QStringLiteral("; "));
    record.finished = QDateTime::currentDateTimeUtc();
    // No copy of an interrupted run is a backup; a location whose cleanup failed stays on the FAILED record so the
    // next start can retry it (retryPending()).
    record.locations = pending;
    QString err;
    if (m_catalog.update(record, &err)) {
        ++report.records;
        report.lines << QStringLiteral("%1: marked FAILED").arg(runName(record));
    } else {
        ++report.problems;
        report.lines << QStringLiteral("%1: cannot mark it FAILED: %2").arg(runName(record), err);
    }
}

void StartupRecovery::retryPending(Report &report) {
    // FAILED records of a dead run that still carry locations: an earlier recovery could not clean them (no secret,
    // storage not configured). Only records with an exact owner ever keep locations this way.
    CatalogFilter f;
    f.status = BackupRecord::statusFailed();
    for (BackupRecord r : m_catalog.list(f)) {
        if (r.owner.isEmpty() || r.locations.isEmpty() || !r.error.startsWith(QLatin1String("interrupted:")) ||
            ProcessIdentity::ownerState(r.owner) != ProcessIdentity::OwnerState::Dead)
            continue;
        QList<BackupLocation> pending;
        QStringList notes;
        for (const BackupLocation &loc : std::as_const(r.locations)) {
            const StorageConfig *sc = nullptr;
            for (const StorageConfig &s : std::as_const(m_storages))
                if (s.name == loc.storage)
                    sc = &s;
            bool done = false;
            if (sc && sc->kind == loc.kind)
                notes += loc.kind == QLatin1String("s3") ? cleanS3(r, loc, *sc, report, &done)
                                                         : cleanLocal(r, loc, *sc, report, &done);
            if (!done)
                pending << loc;
        }
        if (pending.size() == r.locations.size())
            continue; // nothing changed
        r.locations = pending;
        r.error = QStringLiteral("interrupted: the process that ran this backup (pid %1) is gone").arg(r.pid);
        if (!notes.isEmpty())
            r.error += QStringLiteral("; ") + notes.join(QStringLiteral("; "));
        if (!pending.isEmpty())
            r.error += QStringLiteral("; cleanup of %1 location(s) is still pending").arg(pending.size());
        QString err;
        if (!m_catalog.update(r, &err)) {
            ++report.problems;
            report.lines << QStringLiteral("%1: cannot update it: %2").arg(runName(r), err);
        }
    }
}

QStringList StartupRecovery::cleanLocal(const BackupRecord &record, const BackupLocation &loc, const StorageConfig &sc,
                                        Report &report, bool *done) {
    QStringList notes;
    *done = true;
    // A catalog row is data: only ever remove inside the storage it names.
    const QString root = QFileInfo(sc.localDir).canonicalFilePath();
    const auto inside = [&root](const QString &file) {
        const QString dir = QFileInfo(QFileInfo(file).absolutePath()).canonicalFilePath();
        return !root.isEmpty() && !dir.isEmpty() && (dir == root || dir.startsWith(root + QLatin1Char('/')));
    };
    QStringList finals = {loc.path, loc.manifestPath};
    if (!loc.path.isEmpty()) {
        // The roles companion (profile --globals) is written beside the artifact after it; a run killed while
        // writing it leaves NAME.globals.sql[.age].partial.
        // Encrypted exactly when the artifact is; the other name could be a live run's of the same second.
        const QFileInfo artifact(loc.path);
        finals << artifact.dir().filePath(
            GlobalsCompanion::nameFor(artifact.fileName(), artifact.fileName().endsWith(QLatin1String(".age"))));
    }
    for (const QString &finalPath : std::as_const(finals)) {
        if (finalPath.isEmpty())
            continue;
        const QString partial = finalPath + QStringLiteral(".partial");
        const QFileInfo info(partial);
        if (!info.exists() && !info.isSymLink())
            continue;
        QString problem;
        if (!inside(partial))
            problem = QStringLiteral("refusing to remove %1: it is outside storage \"%2\" (%3)")
                          .arg(partial, sc.name, sc.localDir);
        else if (info.isSymLink() || !info.isFile())
            problem = QStringLiteral("refusing to remove %1: not a plain file").arg(partial);
        else if (!QFile::remove(partial))
            problem = QStringLiteral("cannot remove %1 (check its permissions)").arg(partial);
        if (!problem.isEmpty()) {
            ++report.problems;
            report.lines << QStringLiteral("%1: %2").arg(runName(record), problem);
            notes << problem + QStringLiteral(" (cleanup is pending and is retried at the next start)");
            *done = false;
            continue;
        }
        ++report.partials;
        report.lines
            << QStringLiteral("%1: removed partial file %2 (%3)").arg(runName(record), partial, human(info.size()));
        notes << QStringLiteral("its partial file %1 was removed").arg(partial);
    }
    if (QFileInfo::exists(loc.path)) {
        const QString kept =
            QStringLiteral("a complete copy remains at %1 (the run died after writing it; `lifeboatctl "
                           "catalog rebuild %2` records it, or delete it)")
                .arg(loc.path, sc.name);
        report.lines << QStringLiteral("%1: %2").arg(runName(record), kept);
        notes << kept;
    }
    return notes;
}

QStringList StartupRecovery::cleanS3(const BackupRecord &record, const BackupLocation &loc, const StorageConfig &sc,
                                     Report &report, bool *done) {
    QStringList notes;
    *done = true;
    const auto problem = [&](const QString &why) {
        *done = false;
        const QString text = QStringLiteral("the unfinished upload of %1:%2 was not aborted (%3) — its parts are "
                                            "stored and billed until it is; cleanup is pending and is retried at "
                                            "the next start; a bucket lifecycle rule "
                                            "(AbortIncompleteMultipartUpload) also removes such uploads")
                                 .arg(sc.name, loc.path, why);
        ++report.problems;
        report.lines << QStringLiteral("%1: %2").arg(runName(record), text);
        notes << text;
        return notes;
    };
    // Recovery never asks for a secret (it runs before any command, maybe on a terminal): the lookup reads the
    // keychain only. A storage with an access key id keeps its secret there; without it, the cleanup waits.
    const QString secret = m_secretFor ? m_secretFor(sc.name) : QString();
    if (!sc.accessKeyId.isEmpty() && secret.isEmpty())
        return problem(QStringLiteral("the secret key of storage \"%1\" is not available without asking for it "
                                      "(no unlocked keychain)")
                           .arg(sc.name));
    Error e;
    auto session = StoreFactory::s3Session(sc, secret, &e);
    if (!session)
        return problem(e.message);
    QString prefix = session->config().keyFor(QString());
    if (!prefix.isEmpty() && !prefix.endsWith(QLatin1Char('/')))
        prefix += QLatin1Char('/');
    if (loc.path.isEmpty() || !loc.path.startsWith(prefix))
        return problem(QStringLiteral("the key is outside the storage's prefix"));
    QList<S3MultipartUpload> uploads;
    if (const Error le = session->listMultipartUploads(loc.path, &uploads))
        return problem(le.message);
    for (const S3MultipartUpload &u : std::as_const(uploads)) {
        if (u.key != loc.path) // the listing is by prefix: "x.dump" also finds "x.dump.manifest.json"
            continue;
        if (const Error ae = session->abortMultipartUpload(u.key, u.uploadId)) {
            problem(ae.message);
            continue;
        }
        ++report.uploads;
        report.lines << QStringLiteral("%1: aborted the multipart upload of %2:%3 (upload id %4)")
                            .arg(runName(record), sc.name, u.key, u.uploadId);
        notes << QStringLiteral("its unfinished upload to %1:%2 was aborted").arg(sc.name, u.key);
    }
    S3ObjectInfo info;
    int status = 0;
    if (!session->headObject(loc.path, &info, &status)) {
        const QString kept = QStringLiteral("a complete object remains at %1:%2 (the run died after uploading it; "
                                            "`lifeboatctl catalog rebuild %1` records it, or delete it)")
                                 .arg(sc.name, loc.path);
        report.lines << QStringLiteral("%1: %2").arg(runName(record), kept);
        notes << kept;
    }
    return notes;
}

} // namespace lifeboat
