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

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTimeZone>

#include <libpq-fe.h>

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

QString quoteRole(const QString &role) {
    QString q = role;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
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

QString BaseBackupJob::replicationHint(const QString &serverMessage, const QString &user, const QString &database) {
    Q_UNUSED(database)
    static const QRegularExpression hbaRe(QStringLiteral(
        R"re((?:no pg_hba\.conf entry for|pg_hba\.conf rejects) replication connection (?:for|from) host "([^"]+)")re"));
    const auto m = hbaRe.match(serverMessage);
    if (m.hasMatch()) {
        const QString host = m.captured(1);
        QString line;
        if (host == QLatin1String("[local]"))
            line = QStringLiteral("local replication %1 scram-sha-256").arg(user);
        else
            line = QStringLiteral("host replication %1 %2/%3 scram-sha-256")
                       .arg(user, host, host.contains(QLatin1Char(':')) ? QStringLiteral("128") : QStringLiteral("32"));
        return QStringLiteral("the server's pg_hba.conf has no replication line for this client — add\n    %1\nto "
                              "pg_hba.conf (above any line that would reject it; \"all\" does not match "
                              "replication connections) and reload the server: SELECT pg_reload_conf();")
            .arg(line);
    }
    if (serverMessage.contains(QStringLiteral("must be superuser or replication role")) ||
        serverMessage.contains(QStringLiteral("permission denied to start WAL sender")))
        return QStringLiteral("the role %1 lacks the REPLICATION attribute — as a superuser run: ALTER ROLE %1 WITH "
                              "REPLICATION;")
            .arg(quoteRole(user));
    if (serverMessage.contains(QStringLiteral("max_wal_senders")))
        return QStringLiteral("the server has no free WAL sender — raise max_wal_senders in postgresql.conf (and "
                              "restart the server)");
    return {};
}

bool BaseBackupJob::checkServer(PgSession &session, Error *error) {
    const PgVersion server = session.serverVersion();
    if (server.major < 13) {
        *error = {ExitCode::Usage, QStringLiteral("PostgreSQL %1 writes no backup manifest; base backups need "
                                                  "PostgreSQL 13 or later — use `lifeboatctl backup` (dumps)")
                                       .arg(server.toString())};
        return false;
    }
    PgSession::Rows rows;
    if (!session.exec(QStringLiteral("SELECT rolsuper OR rolreplication, current_user FROM pg_roles WHERE rolname = "
                                     "current_user"),
                      {}, &rows) ||
        rows.isEmpty()) {
        *error = session.error();
        return false;
    }
    if (rows.first().at(0) != QLatin1String("t")) {
        *error = {ExitCode::Usage, QStringLiteral("cannot make a base backup: %1")
                                       .arg(replicationHint(QStringLiteral("must be superuser or replication role"),
                                                            rows.first().at(1), QString()))};
        return false;
    }
    rows.clear();
    if (!session.exec(QStringLiteral("SELECT current_setting('wal_level'), current_setting('max_wal_senders')"), {},
                      &rows) ||
        rows.isEmpty()) {
        *error = session.error();
        return false;
    }
    if (rows.first().at(0) == QLatin1String("minimal")) {
        *error = {ExitCode::Usage, QStringLiteral("the server runs with wal_level = minimal, which allows no base "
                                                  "backup — set wal_level = replica in postgresql.conf and restart "
                                                  "the server")};
        return false;
    }
    if (rows.first().at(1).toInt() < 1) {
        *error = {ExitCode::Usage, QStringLiteral("the server allows no WAL senders (max_wal_senders = 0) — set "
                                                  "max_wal_senders = 10 in postgresql.conf and restart the server")};
        return false;
    }
    rows.clear();
    if (!session.exec(QStringLiteral("SELECT spcname, pg_tablespace_location(oid) FROM pg_tablespace WHERE spcname "
                                     "NOT IN ('pg_default', 'pg_global') ORDER BY spcname"),
                      {}, &rows)) {
        *error = session.error();
        return false;
    }
    if (!rows.isEmpty()) {
        QStringList spaces;
        for (const QStringList &r : std::as_const(rows))
            spaces << QStringLiteral("%1 (%2)").arg(r.at(0), r.at(1));
        *error = {ExitCode::Refused,
                  QStringLiteral("the cluster has tablespaces outside its data directory: %1 — a base backup streams "
                                 "one tablespace only. Move their tables and indexes to pg_default (ALTER TABLE … SET "
                                 "TABLESPACE pg_default) and drop them, or back the databases up with `lifeboatctl "
                                 "backup`. Nothing was written.")
                      .arg(spaces.join(QStringLiteral(", ")))};
        return false;
    }
    return true;
}

bool BaseBackupJob::checkReplicationConnection(const QString &conninfo, const QString &password, const QString &user,
                                               Error *error) {
    // The connection pg_basebackup will make, tried first: pg_hba.conf's "replication" lines and the REPLICATION
    // attribute are checked by the server here, before any store is opened.
    const QByteArray ci = conninfo.toUtf8();
    const QByteArray pw = password.toUtf8();
    std::vector<const char *> keys{"dbname", "replication", "application_name", "connect_timeout"};
    std::vector<const char *> values{ci.constData(), "true", "lifeboat", "10"};
    if (!password.isEmpty()) {
        keys.push_back("password");
        values.push_back(pw.constData());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    PGconn *conn = PQconnectdbParams(keys.data(), values.data(), 1);
    const auto closeConn = qScopeGuard([conn] { PQfinish(conn); });
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        QString why = conn ? QString::fromUtf8(PQerrorMessage(conn)).trimmed() : QStringLiteral("out of memory");
        why.replace(QLatin1Char('\n'), QLatin1Char(' '));
        const QString hint = replicationHint(why, user, QString());
        *error = {hint.isEmpty() ? ExitCode::PgTool : ExitCode::Usage,
                  hint.isEmpty() ? QStringLiteral("replication connection refused: %1").arg(why)
                                 : QStringLiteral("cannot make a base backup: %1\n(server: %2)").arg(hint, why)};
        return false;
    }
    PGresult *res = PQexec(conn, "IDENTIFY_SYSTEM");
    const auto clearRes = qScopeGuard([res] { PQclear(res); });
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1) {
        *error = {ExitCode::PgTool,
                  QStringLiteral("IDENTIFY_SYSTEM failed: %1").arg(QString::fromUtf8(PQerrorMessage(conn)).trimmed())};
        return false;
    }
    m_systemIdentifier = QString::fromUtf8(PQgetvalue(res, 0, 0));
    return true;
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
    if (!checkServer(session, &err))
        return failBeforeRecord(err);
    const PgToolLocator::Tool tool =
        PgToolLocator(m_req.pgToolDir).choose(QStringLiteral("pg_basebackup"), server, &err);
    if (err)
        return failBeforeRecord(err);
    const Conninfo target = session.effective();
    const qint64 clusterBytes =
        session.scalar(QStringLiteral("SELECT sum(pg_database_size(oid)) FROM pg_database")).toLongLong();
    session.close();
    if (!checkReplicationConnection(target.toKeywordString(), password, target.user(), &err))
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
    const QStringList args{QStringLiteral("--dbname=") + target.toKeywordString(),
                           QStringLiteral("--pgdata=-"),
                           QStringLiteral("--format=tar"),
                           QStringLiteral("--wal-method=fetch"),
                           QStringLiteral("--checkpoint=fast"),
                           QStringLiteral("--manifest-checksums=SHA256"),
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
    child.setStderrHandler([this](const QString &line) { log(line); });
    if (!child.run(&counted)) {
        Error e;
        if (child.wasCancelled() || isCancelled()) {
            e = {ExitCode::Cancelled, QStringLiteral("cancelled")};
        } else if (tap.error()) {
            e = tap.error();
        } else {
            const QString line = firstErrorLine(child.stderrTail());
            const QString hint = replicationHint(line, target.user(), QString());
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
