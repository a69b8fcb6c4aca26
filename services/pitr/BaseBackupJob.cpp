#include "pitr/BaseBackupJob.h"

#include "catalog/Manifest.h"
#include "core/ChildEnvironment.h"
#include "files/ArtifactBackup.h"
#include "jobs/ChildProcess.h"
#include "jobs/FailedAttempt.h"
#include "jobs/ManifestSigner.h"
#include "jobs/PgDumpCommand.h"
#include "pg/Conninfo.h"
#include "pg/PgPassFile.h"
#include "pg/PgSession.h"
#include "pg/PgToolLocator.h"
#include "pipeline/ProgressStage.h"
#include "pitr/BaseBackupTarTap.h"
#include "pitr/ReplicationAccess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QTimeZone>

namespace lifeboat {

namespace {
QString human(qint64 bytes) {
    return QLocale::c().formattedDataSize(bytes);
}

QString firstErrorLine(const QStringList &tail) {
    for (const QString &l : tail) {
        if (l.contains(QStringLiteral("error:")) || l.contains(QStringLiteral("FATAL")))
            return l;
    }
    return tail.isEmpty() ? QString() : tail.last();
}

} // namespace

BaseBackupJob::BaseBackupJob(Request request, QObject *parent)
    : Job(parent)
    , m_req(std::move(request)) {}

BaseBackupJob::~BaseBackupJob() = default;

QString BaseBackupJob::title() const {
    return QStringLiteral("Base backup of %1").arg(m_req.profile.name);
}

JobResult BaseBackupJob::failBeforeRecord(const Error &e) {
    for (auto &s : m_req.stores)
        s->discard();
    log(e.message);
    BackupRecord attempt;
    attempt.profile = m_req.profile.name;
    attempt.database = QStringLiteral("(cluster)");
    attempt.kind = QStringLiteral("base");
    attempt.type = m_req.type;
    attempt.label = m_req.label;
    attempt.format = QStringLiteral("tar");
    attempt.started = m_started;
    QString catalogError;
    const qint64 id = FailedAttempt::record(m_req.catalog.get(), attempt, e, &catalogError);
    if (m_req.catalog && id == 0)
        log(QStringLiteral("warning: the failed attempt could not be recorded in the catalog: %1").arg(catalogError));
    return {e, id, id ? FailedAttempt::details(id, e) : QJsonObject{}};
}

BaseBackupInfo BaseBackupJob::describe(const QByteArray &backupLabel, const QByteArray &backupManifest,
                                       QString *error) {
    BaseBackupInfo info;
    static const QRegularExpression startRe(
        QStringLiteral(R"(^START WAL LOCATION: ([0-9A-Fa-f]+/[0-9A-Fa-f]+) \(file ([0-9A-F]{24})\)$)"),
        QRegularExpression::MultilineOption);
    static const QRegularExpression timeRe(QStringLiteral(R"(^START TIME: (.+)$)"),
                                           QRegularExpression::MultilineOption);
    static const QRegularExpression tliRe(QStringLiteral(R"(^START TIMELINE: (\d+)$)"),
                                          QRegularExpression::MultilineOption);
    const QString label = QString::fromUtf8(backupLabel);
    const auto start = startRe.match(label);
    const auto tli = tliRe.match(label);
    if (!start.hasMatch() || !tli.hasMatch()) {
        *error = QStringLiteral("the stream's backup_label has no START WAL LOCATION / START TIMELINE");
        return {};
    }
    info.startLsn = start.captured(1).toUpper();
    info.startWalFile = start.captured(2);
    info.timeline = tli.captured(1).toInt();
    const auto time = timeRe.match(label);
    if (time.hasMatch()) {
        // "2026-12-06 06:43:04 UTC" (log_timezone); a zone abbreviation Qt cannot read leaves the time unknown.
        const QString t = time.captured(1).trimmed();
        QDateTime dt = QDateTime::fromString(t.left(19), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        if (dt.isValid() && (t.endsWith(QLatin1String(" UTC")) || t.endsWith(QLatin1String(" GMT")))) {
            dt.setTimeZone(QTimeZone::utc());
            info.startTime = dt;
        }
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(backupManifest, &pe);
    const QJsonArray ranges = doc.object().value(QStringLiteral("WAL-Ranges")).toArray();
    if (doc.isNull() || ranges.isEmpty()) {
        *error = QStringLiteral("the stream's backup_manifest has no WAL-Ranges");
        return {};
    }
    // One range per timeline the backup crossed; the last one ends where the backup is consistent.
    const QJsonObject last = ranges.last().toObject();
    info.stopLsn = last.value(QStringLiteral("End-LSN")).toString().toUpper();
    const QJsonObject first = ranges.first().toObject();
    if (first.value(QStringLiteral("Start-LSN")).toString().toUpper() != info.startLsn ||
        BaseBackupInfo::parseLsn(info.stopLsn) < BaseBackupInfo::parseLsn(info.startLsn)) {
        *error = QStringLiteral("backup_label (start %1) and backup_manifest (%2 … %3) disagree")
                     .arg(info.startLsn, first.value(QStringLiteral("Start-LSN")).toString(), info.stopLsn);
        return {};
    }
    return info;
}

JobResult BaseBackupJob::execute() {
    const QDateTime started = QDateTime::currentDateTimeUtc();
    m_started = started;
    const auto logFn = [this](const QString &l) { log(l); };
    JobProgress progress;
    progress.phase = QStringLiteral("connecting");
    reportProgress(progress, true);

    Error err;
    const Conninfo ci = Conninfo::parse(m_req.profile.conninfo, &err);
    if (!ci.isValid())
        return failBeforeRecord(err);
    QString password = m_req.password;
    if (password.isEmpty())
        password = ci.password();
    if (password.isEmpty())
        password = qEnvironmentVariable("PGPASSWORD");
    ChildEnvironment::registerSecret(password);

    PgSession session;
    if (!session.connect(ci, password))
        return failBeforeRecord(session.error());
    const PgVersion server = session.serverVersion();
    if (!ReplicationAccess::checkServer(session, &err))
        return failBeforeRecord(err);
    const PgToolLocator::Tool tool =
        PgToolLocator(m_req.pgToolDir).choose(QStringLiteral("pg_basebackup"), server, &err);
    if (err)
        return failBeforeRecord(err);
    const Conninfo target = session.effective();
    const qint64 clusterBytes =
        session.scalar(QStringLiteral("SELECT sum(pg_database_size(oid)) FROM pg_database")).toLongLong();
    session.close();
    if (!ReplicationAccess::checkConnection(target.toKeywordString(), password, target.user(), &m_systemIdentifier,
                                            &err))
        return failBeforeRecord(err);
    log(QStringLiteral("server %1 (PostgreSQL %2, system %3), about %4 of databases, using %5 (%6)")
            .arg(ci.hostPort(), server.toString(), m_systemIdentifier, human(clusterBytes), tool.path,
                 tool.version.toString()));
    // Free space: the cluster's size, halved for compression (as a dump's estimate is).
    for (const auto &s : m_req.stores) {
        const qint64 free = s->freeBytes();
        if (free >= 0 && free < clusterBytes / 2)
            return failBeforeRecord(
                {ExitCode::Refused, QStringLiteral("not enough free space on storage \"%1\": "
                                                   "about %2 needed, %3 free — free some space "
                                                   "or choose another storage")
                                        .arg(s->storageName(), human(clusterBytes / 2), human(free))});
    }

    ArtifactBackup::Setup setup;
    setup.stores = std::move(m_req.stores);
    setup.catalog = m_req.catalog;
    setup.encryptTo = m_req.encryptTo;
    setup.compression = QStringLiteral("zstd");
    setup.level = PgDumpCommand::kDefaultZstdLevel;
    setup.hashOnThreads = true;
    ArtifactBackup out(std::move(setup));

    BackupRecord record;
    record.profile = m_req.profile.name;
    record.database = QStringLiteral("(cluster)");
    record.kind = QStringLiteral("base");
    record.type = m_req.type;
    record.label = m_req.label;
    record.format = QStringLiteral("tar");
    record.serverVersion = server.toString();
    record.toolVersion = tool.version.toString();
    record.started = started;
    record.filename = out.uniqueName(m_req.profile.name, QStringLiteral("base"), started,
                                     QStringLiteral("tar") + out.compressionSuffix());
    if (!out.begin(record, clusterBytes, &err)) {
        if (record.id == 0)
            return failBeforeRecord(err);
        log(err.message);
        return {err, record.id, {}};
    }

    PgPassFile passFile;
    if (!password.isEmpty() && !passFile.create(password, target.withDatabase(QStringLiteral("replication"))))
        return out.finishRecord(record, {ExitCode::Usage, QStringLiteral("cannot create a temporary password file")},
                                logFn);
    const QProcessEnvironment env = ChildEnvironment::forPgTool({password}, passFile.path());
    // -D - writes one tar to stdout: only tar format, one tablespace (checked above) and WAL fetched at the end
    // (-X fetch: the WAL from start to end point travels inside the tar, so the backup restores on its own).
    // --manifest-checksums=CRC32C is PostgreSQL's default, named so that a changed default can't slow base backups:
    // SHA-256 per file costs the server about 0.5 s of CPU per GiB, and the artifact is SHA-256-hashed whole anyway.
    const QStringList args{QStringLiteral("--dbname=") + target.toKeywordString(),
                           QStringLiteral("--pgdata=-"),
                           QStringLiteral("--format=tar"),
                           QStringLiteral("--wal-method=fetch"),
                           QStringLiteral("--checkpoint=fast"),
                           QStringLiteral("--manifest-checksums=CRC32C"),
                           QStringLiteral("--label=lifeboat ") + record.filename,
                           QStringLiteral("--no-password"),
                           QStringLiteral("--verbose")};
    progress.phase = QStringLiteral("streaming the base backup");
    progress.bytesTotal = clusterBytes;
    reportProgress(progress, true);
    BaseBackupTarTap tap(out.head());
    ProgressStage counted(&tap, [&](qint64 bytes) {
        progress.bytes = bytes;
        reportProgress(progress);
    });
    ChildProcess child(tool.path, args, env);
    child.setCancelFlag(cancelFlag());
    child.setStdoutPipeBytes(1 << 20);
    child.setStderrHandler([this](const QString &line) { log(line); });
    if (!child.run(&counted)) {
        Error e;
        if (child.wasCancelled() || isCancelled()) {
            e = {ExitCode::Cancelled, QStringLiteral("cancelled")};
        } else if (tap.error()) {
            e = tap.error();
        } else {
            const QString line = firstErrorLine(child.stderrTail());
            const QString hint = ReplicationAccess::replicationHint(line, target.user());
            e = {hint.isEmpty() ? ExitCode::PgTool : ExitCode::Usage,
                 hint.isEmpty()
                     ? QStringLiteral("pg_basebackup failed: %1").arg(line.isEmpty() ? child.errorText() : line)
                     : QStringLiteral("cannot make a base backup: %1").arg(hint)};
        }
        return out.finishRecord(record, e, logFn);
    }
    if (!tap.complete())
        return out.finishRecord(record, tap.error(), logFn);
    if (!out.finishStream(record, &err))
        return out.finishRecord(record, err, logFn);
    const QDateTime finished = QDateTime::currentDateTimeUtc();
    QString why;
    BaseBackupInfo info = describe(tap.backupLabel(), tap.backupManifest(), &why);
    if (!info.isValid())
        return out.finishRecord(record, {ExitCode::PgTool, why}, logFn);
    info.backupId = record.id;
    info.stopTime = finished;
    if (!info.startTime.isValid())
        info.startTime = started;
    info.systemIdentifier = m_systemIdentifier;
    info.pgMajor = server.major;
    log(QStringLiteral("WAL range: %1 … %2 on timeline %3 (replay starts in %4)")
            .arg(info.startLsn, info.stopLsn)
            .arg(info.timeline)
            .arg(info.startWalFile));

    progress.phase = QStringLiteral("writing manifest");
    reportProgress(progress, true);
    Manifest m;
    m.toolVersion = QStringLiteral(LIFEBOAT_VERSION);
    m.profile = record.profile;
    m.host = ci.hostPort();
    m.database = record.database;
    m.kind = record.kind;
    m.type = record.type;
    m.label = record.label;
    m.serverVersion = record.serverVersion;
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
    m.baseBackup = info.toJson();
    QString signNote;
    const QByteArray manifestJson = ManifestSigner::manifestJson(m, &signNote);
    log(signNote);
    if (!out.putManifests(manifestJson, record, &err))
        return out.finishRecord(record, err, logFn);
    QString catalogError;
    if (m_req.catalog && !m_req.catalog->saveBaseBackup(info, &catalogError))
        return out.finishRecord(record, {ExitCode::Usage, catalogError}, logFn);
    log(QStringLiteral("base backup complete: %1 (%2 read, %3 stored, sha256 %4)")
            .arg(record.filename, human(counted.total()), human(record.size), record.sha256));
    progress.phase = QStringLiteral("done");
    reportProgress(progress, true);
    JobResult r = out.finishRecord(record, {}, logFn);
    if (r.ok()) {
        const QJsonObject b = info.toJson();
        for (auto it = b.begin(); it != b.end(); ++it)
            r.details.insert(it.key(), it.value());
    }
    return r;
}

} // namespace lifeboat
