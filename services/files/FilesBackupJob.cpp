#include "files/FilesBackupJob.h"

#include "jobs/FailedAttempt.h"

#include "catalog/Manifest.h"
#include "files/ArtifactBackup.h"
#include "files/FilesTarWriter.h"
#include "jobs/ManifestSigner.h"
#include "pipeline/ProgressStage.h"

#include <archive.h>

#include <QDirIterator>
#include <QFileInfo>
#include <QLocale>
#include <QSysInfo>

namespace lifeboat {

FilesBackupJob::FilesBackupJob(Request request, QObject *parent)
    : Job(parent)
    , m_req(std::move(request)) {}

FilesBackupJob::~FilesBackupJob() = default;

QString FilesBackupJob::title() const {
    return QStringLiteral("Backup of %1 (%2)").arg(m_req.sourceName, m_req.path);
}

JobResult FilesBackupJob::failBeforeRecord(const Error &e, const QDateTime &started) {
    for (auto &s : m_req.stores)
        s->discard();
    log(e.message);
    // Refused or failed before writing: still an attempt, recorded with its error (see FailedAttempt).
    BackupRecord attempt;
    attempt.profile = m_req.sourceName;
    attempt.database = m_req.path;
    attempt.kind = QStringLiteral("files");
    attempt.type = m_req.options.type;
    attempt.label = m_req.options.label;
    attempt.setId = m_req.options.setId;
    attempt.format = QStringLiteral("tar");
    attempt.started = started;
    QString catalogError;
    const qint64 id = FailedAttempt::record(m_req.catalog.get(), attempt, e, &catalogError);
    if (m_req.catalog && id == 0)
        log(QStringLiteral("warning: the failed attempt could not be recorded in the catalog: %1").arg(catalogError));
    return {e, id, id ? FailedAttempt::details(id, e) : QJsonObject{}};
}

JobResult FilesBackupJob::execute() {
    const QDateTime started = QDateTime::currentDateTimeUtc();
    const auto logFn = [this](const QString &l) { log(l); };
    const FilesBackupOptions &o = m_req.options;
    if (o.compression != QLatin1String("gzip") && o.compression != QLatin1String("zstd") &&
        o.compression != QLatin1String("none"))
        return failBeforeRecord(
            {ExitCode::Usage, QStringLiteral("unknown compression \"%1\" — use gzip, zstd or none").arg(o.compression)},
            started);
    const QFileInfo dir(m_req.path);
    if (!dir.isDir())
        return failBeforeRecord({ExitCode::Usage, QStringLiteral("%1 is not a directory — check the path of file "
                                                                 "source \"%2\"")
                                                      .arg(m_req.path, m_req.sourceName)},
                                started);
    const QString root = dir.canonicalFilePath();

    // A quick size estimate for progress and the stores' size hint (one metadata pass; file data is read once).
    JobProgress progress;
    progress.phase = QStringLiteral("scanning");
    reportProgress(progress, true);
    const auto excludes = FilesTarWriter::compile(o.excludes);
    qint64 estimate = 0;
    int estimateFiles = 0;
    {
        QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            const QFileInfo fi = it.fileInfo();
            if (fi.isSymLink())
                continue;
            // Excluded when the file or any directory above it matches (FilesTarWriter skips whole subtrees).
            const QString rel = fi.filePath().mid(root.size() + 1);
            bool excluded = FilesTarWriter::matches(excludes, rel);
            for (qsizetype slash = rel.indexOf(QLatin1Char('/')); !excluded && slash > 0;
                 slash = rel.indexOf(QLatin1Char('/'), slash + 1))
                excluded = FilesTarWriter::matches(excludes, rel.left(slash));
            if (excluded)
                continue;
            estimate += fi.size();
            ++estimateFiles;
        }
    }

    ArtifactBackup::Setup setup;
    setup.stores = std::move(m_req.stores);
    setup.catalog = m_req.catalog;
    setup.encryptTo = m_req.encryptTo;
    setup.compression = o.compression;
    setup.level = o.level;
    ArtifactBackup out(std::move(setup));

    BackupRecord record;
    record.profile = m_req.sourceName;
    record.database = root;
    record.kind = QStringLiteral("files");
    record.type = o.type;
    record.label = o.label;
    record.setId = o.setId;
    record.format = QStringLiteral("tar");
    record.toolVersion = QString::fromLatin1(archive_version_string());
    record.started = started;
    record.filename = out.uniqueName(m_req.sourceName, QStringLiteral("files"), started,
                                     QStringLiteral("tar") + out.compressionSuffix());
    Error err;
    if (!out.begin(record, estimate, &err)) {
        if (record.id == 0) // a store would not open: nothing was recorded yet
            return failBeforeRecord(err, started);
        log(err.message);
        return {err, record.id, {}};
    }

    progress.phase = QStringLiteral("archiving");
    progress.bytesTotal = estimate;
    progress.itemsTotal = estimateFiles;
    reportProgress(progress, true);
    FilesTarWriter tar(out.head());
    tar.setExcludes(o.excludes);
    tar.setLog(logFn);
    tar.setProgress([&](qint64 files, qint64 bytes) {
        progress.bytes = bytes;
        progress.itemsDone = int(qMin<qint64>(files, estimateFiles));
        if (estimate > 0 && bytes > 0)
            progress.etaSeconds = qint64(elapsedMs() / 1000.0 * double(estimate - bytes) / double(bytes));
        reportProgress(progress);
    });
    if (!tar.writeTree(root, cancelFlag()))
        return out.finishRecord(
            record, isCancelled() ? Error{ExitCode::Cancelled, QStringLiteral("cancelled")} : tar.error(), logFn);
    if (!out.finishStream(record, &err))
        return out.finishRecord(record, err, logFn);
    if (tar.externalSymlinks() > 0)
        log(QStringLiteral("note: %1 symlink(s) point outside the directory; they are stored as links, and a restore "
                           "refuses them unless --allow-external-links is given")
                .arg(tar.externalSymlinks()));

    progress.phase = QStringLiteral("writing manifest");
    reportProgress(progress, true);
    const QDateTime finished = QDateTime::currentDateTimeUtc();
    Manifest m;
    m.toolVersion = QStringLiteral(LIFEBOAT_VERSION);
    m.profile = record.profile;
    m.host = QSysInfo::machineHostName();
    m.database = root;
    m.kind = record.kind;
    m.type = record.type;
    m.label = record.label;
    m.setId = record.setId;
    m.pgDumpVersion = record.toolVersion;
    m.format = record.format;
    m.compression = record.compression;
    m.artifact = record.filename;
    m.size = record.size;
    m.sha256 = record.sha256;
    m.plainSha256 = record.plainSha256;
    m.encrypted = record.encrypted;
    m.recipients = record.recipients;
    m.started = started;
    m.finished = finished;
    m.durationMs = started.msecsTo(finished);
    m.fileCount = tar.fileCount();
    m.totalBytes = tar.totalBytes();
    QString signNote;
    const QByteArray manifestJson = ManifestSigner::manifestJson(m, &signNote);
    log(signNote);
    if (!out.putManifests(manifestJson, record, &err))
        return out.finishRecord(record, err, logFn);
    log(QStringLiteral("backup complete: %1 (%2 files, %3 of content → %4, sha256 %5)")
            .arg(record.filename)
            .arg(tar.fileCount())
            .arg(QLocale::c().formattedDataSize(tar.totalBytes()), QLocale::c().formattedDataSize(record.size),
                 record.sha256));
    progress.phase = QStringLiteral("done");
    reportProgress(progress, true);
    JobResult r = out.finishRecord(record, {}, logFn);
    r.details[QStringLiteral("fileCount")] = tar.fileCount();
    r.details[QStringLiteral("totalBytes")] = tar.totalBytes();
    return r;
}

} // namespace lifeboat
