#include "files/FilesRestoreJob.h"

#include "catalog/LeaseGuard.h"
#include "files/FilesExtractor.h"
#include "restore/ManifestSignatureCheck.h"
#include "restore/RestoreSource.h"

#include "core/ArtifactName.h"
#include "core/ScratchName.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QTemporaryDir>

namespace lifeboat {

FilesRestoreJob::FilesRestoreJob(Request request, QObject *parent)
    : Job(parent)
    , m_req(std::move(request)) {}

FilesRestoreJob::~FilesRestoreJob() = default;

QString FilesRestoreJob::title() const {
    const QString what = ArtifactName::sourceLabel(m_req.source);
    return m_req.verifyOnly ? QStringLiteral("Verify of %1").arg(what)
                            : QStringLiteral("Restore of %1 into %2").arg(what, m_req.targetDir);
}

JobResult FilesRestoreJob::done(const Error &e, qint64 recordId, QJsonObject details) {
    details[QStringLiteral("ok")] = !e;
    if (e) {
        details[QStringLiteral("error")] = e.message;
        log(e.message);
    }
    JobProgress p;
    p.phase = e ? QStringLiteral("failed") : QStringLiteral("done");
    reportProgress(p, true);
    return {e, recordId, details};
}

JobResult FilesRestoreJob::execute() {
    Error err;
    auto source = RestoreSource::open(m_req.source, m_req.catalog.get(), m_req.storages, &err);
    if (!source)
        return done(err, 0, {});
    source->setIdentities(m_req.identities);
    source->setCancelFlag(cancelFlag());
    source->setSecretLookup(m_req.secretFor);
    const qint64 recordId = source->record().id;
    const QString kind = source->isRecord()   ? source->record().kind
                         : source->manifest() ? source->manifest()->kind
                                              : QString();
    if (!kind.isEmpty() && kind != QLatin1String("files"))
        return done({ExitCode::Usage, QStringLiteral("%1 is a %2 backup, not a file backup — use `lifeboatctl %3`")
                                          .arg(source->displayName(), kind,
                                               kind == QLatin1String("database") ? QStringLiteral("restore")
                                                                                 : QStringLiteral("--help"))},
                    recordId, {});

    LeaseGuard lease; // not deleted while it is restored or verified (see RestoreJob)
    if (source->isRecord())
        if (const Error e = LeaseGuard::acquire(
                m_req.catalog.get(), recordId,
                m_req.verifyOnly ? QStringLiteral("files verify") : QStringLiteral("files restore"), &lease))
            return done(e, recordId, {});

    QString target;
    if (!m_req.verifyOnly) {
        const QFileInfo t(m_req.targetDir);
        if (t.exists() && !t.isDir())
            return done({ExitCode::Usage, QStringLiteral("%1 exists and is not a directory").arg(m_req.targetDir)},
                        recordId, {});
        if (t.exists() &&
            !QDir(m_req.targetDir)
                 .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)
                 .isEmpty() &&
            !m_req.overwrite)
            return done({ExitCode::Refused, QStringLiteral("the target directory %1 is not empty — choose an empty "
                                                           "directory, or pass --overwrite to restore over its files")
                                                .arg(m_req.targetDir)},
                        recordId, {});
        if (!QDir().mkpath(m_req.targetDir))
            return done({ExitCode::Usage, QStringLiteral("cannot create the target directory %1").arg(m_req.targetDir)},
                        recordId, {});
        target = QFileInfo(m_req.targetDir).canonicalFilePath();
    }

    JobProgress progress;
    progress.phase = QStringLiteral("checking the checksum");
    progress.bytesTotal = source->size();
    reportProgress(progress, true);
    // A verify records its outcome on the catalog record, also when it fails.
    const auto recordVerify = [&](bool passed) {
        if (!m_req.verifyOnly || !source->isRecord() || !m_req.catalog)
            return;
        BackupRecord rec = source->record();
        rec.verifiedAt = QDateTime::currentDateTimeUtc();
        rec.verifyOutcome = passed ? QStringLiteral("PASSED") : QStringLiteral("FAILED");
        QString ce;
        if (!m_req.catalog->update(rec, &ce))
            log(QStringLiteral("warning: could not record the verify outcome: %1").arg(ce));
    };
    // One copy, the bytes that were hashed: the chosen copy is copied into private scratch with its SHA-256 checked
    // on the way, and the extraction reads that scratch copy — never a second read of a bucket, never another copy.
    QTemporaryDir scratch(ScratchName::templatePath(QStringLiteral("files")));
    if (source->needsFetch()) {
        if (!scratch.isValid())
            return done({ExitCode::Usage,
                         QStringLiteral("cannot create a scratch directory in %1 (set TMPDIR)").arg(QDir::tempPath())},
                        recordId, {});
        if (!source->fetchVerified(scratch.path(), &err)) {
            if (err.code == ExitCode::Integrity)
                recordVerify(false);
            return done(err, recordId, {});
        }
        for (const QString &s : source->copyUsed().skipped)
            log(QStringLiteral("copy passed over: ") + s);
        if (source->copyUsed().valid())
            log(source->copyDescription());
    }
    bool skipped = false;
    if (!source->verifyIntegrity(&err, &skipped)) {
        if (err.code == ExitCode::Integrity)
            recordVerify(false);
        return done(err, recordId, {});
    }
    if (skipped)
        log(QStringLiteral("note: %1 has no recorded checksum (no catalog record or manifest); its archive structure "
                           "is still checked")
                .arg(source->displayName()));
    lease.renewIfDue(); // a long fetch must not let the lease lapse before the extraction

    // Who signed the manifest, settled before a file is written (as restore and verify do).
    QHash<QString, QString> storageSecrets;
    if (m_req.secretFor) {
        for (const StorageConfig &sc : m_req.storages)
            storageSecrets.insert(sc.name, m_req.secretFor(sc.name));
    }
    ManifestVerdict signature;
    const SafetyCheck signatureCheck = manifestSignatureCheck(
        *source, m_req.source, m_req.catalog.get(), m_req.storages, storageSecrets, m_req.requireSigned, &signature);
    log(QStringLiteral("Manifest: %1").arg(signature.describe()));
    if (signatureCheck.refused()) {
        if (m_req.verifyOnly)
            recordVerify(false);
        return done({signatureCheck.code, signatureCheck.detail}, recordId,
                    {{QStringLiteral("manifestSignature"), signature.toJson()}});
    }

    progress.phase = m_req.verifyOnly ? QStringLiteral("reading the archive") : QStringLiteral("restoring");
    progress.bytesTotal = -1;
    reportProgress(progress, true);
    FilesExtractor::Options xo;
    xo.destDir = target;
    xo.allowExternalSymlinks = m_req.allowExternalSymlinks;
    xo.cancel = cancelFlag();
    xo.log = [this](const QString &l) { log(l); };
    xo.progress = [&lease](qint64) { lease.renewIfDue(); };
    FilesExtractor extractor(xo);
    if (!extractor.runFrom(*source)) {
        if (extractor.error().code == ExitCode::Integrity || extractor.error().code == ExitCode::Refused)
            recordVerify(false);
        return done(isCancelled() ? Error{ExitCode::Cancelled, QStringLiteral("cancelled")} : extractor.error(),
                    recordId, {});
    }
    const FilesExtractor::Result &r = extractor.result();

    QJsonObject details{{QStringLiteral("id"), recordId},
                        {QStringLiteral("source"), source->displayName()},
                        {QStringLiteral("fileCount"), r.fileCount},
                        {QStringLiteral("totalBytes"), r.totalBytes},
                        {QStringLiteral("directories"), r.dirCount},
                        {QStringLiteral("symlinks"), r.symlinkCount},
                        {QStringLiteral("checksum"), skipped ? QStringLiteral("unknown") : QStringLiteral("match")}};
    if (source->copyUsed().valid())
        details[QStringLiteral("copy")] = source->copyUsed().toJson();
    details[QStringLiteral("manifestSignature")] = signature.toJson();
    if (!target.isEmpty())
        details[QStringLiteral("target")] = target;
    Error mismatch;
    if (source->manifest() && source->manifest()->fileCount >= 0) {
        const Manifest &m = *source->manifest();
        details[QStringLiteral("manifestFileCount")] = m.fileCount;
        details[QStringLiteral("manifestTotalBytes")] = m.totalBytes;
        if (m.fileCount != r.fileCount || m.totalBytes != r.totalBytes)
            mismatch = {ExitCode::Integrity,
                        QStringLiteral("%1 holds %2 files (%3 bytes) but its manifest lists %4 files (%5 bytes)")
                            .arg(source->displayName())
                            .arg(r.fileCount)
                            .arg(r.totalBytes)
                            .arg(m.fileCount)
                            .arg(m.totalBytes)};
    } else {
        log(QStringLiteral("note: no manifest with a file count for %1; counts not compared")
                .arg(source->displayName()));
    }
    recordVerify(!mismatch);
    if (!mismatch)
        log(QStringLiteral("%1: %2 files, %3 — %4")
                .arg(source->displayName())
                .arg(r.fileCount)
                .arg(QLocale::c().formattedDataSize(r.totalBytes),
                     m_req.verifyOnly ? QStringLiteral("verified") : QStringLiteral("restored into ") + target));
    return done(mismatch, recordId, details);
}

} // namespace lifeboat
