#include "redis/RedisBackupJob.h"

#include "jobs/FailedAttempt.h"

#include "catalog/Manifest.h"
#include "files/ArtifactBackup.h"
#include "jobs/ArtifactReader.h"
#include "jobs/ManifestSigner.h"
#include "redis/RedisConnection.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocale>
#include <QThread>

namespace lifeboat {

namespace {
// Checks the stream starts like an RDB file ("REDIS" + 4-digit version) before it goes anywhere.
class RdbMagicCheck : public ByteSink {
public:
    explicit RdbMagicCheck(ByteSink *next)
        : m_next(next) {}
    bool write(QByteArrayView data) override {
        if (m_head.size() < 9) {
            m_head.append(data.first(qMin<qsizetype>(9 - m_head.size(), data.size())).toByteArray());
            if (m_head.size() >= 5 && !m_head.startsWith("REDIS"))
                return fail(ExitCode::Transfer, QStringLiteral("the snapshot the server sent is not an RDB file"));
        }
        return m_next->write(data) || failFrom(*m_next);
    }
    bool finish() override {
        if (m_head.size() < 9)
            return fail(ExitCode::Transfer, QStringLiteral("the RDB snapshot is empty or truncated"));
        return m_next->finish() || failFrom(*m_next);
    }
    void abort() override { m_next->abort(); }
    QString version() const { return QString::fromLatin1(m_head.mid(5, 4)); }

private:
    ByteSink *m_next;
    QByteArray m_head;
};

// Forwards without finishing: the magic check and the file reader must not finish the pipeline themselves.
class NoFinish : public ByteSink {
public:
    explicit NoFinish(ByteSink *next)
        : m_next(next) {}
    bool write(QByteArrayView d) override { return m_next->write(d) || failFrom(*m_next); }
    bool finish() override { return true; }
    void abort() override { m_next->abort(); }

private:
    ByteSink *m_next;
};
} // namespace

RedisBackupJob::RedisBackupJob(Request request, QObject *parent)
    : Job(parent)
    , m_req(std::move(request)) {}

RedisBackupJob::~RedisBackupJob() = default;

QString RedisBackupJob::title() const {
    return QStringLiteral("Backup of Redis %1").arg(m_req.sourceName);
}

JobResult RedisBackupJob::failBeforeRecord(const Error &e) {
    for (auto &s : m_req.stores)
        s->discard();
    log(e.message);
    // Refused or failed before writing: still an attempt, recorded with its error (see FailedAttempt).
    QString catalogError;
    const qint64 id = FailedAttempt::record(m_req.catalog.get(), attemptRecord(), e, &catalogError);
    if (m_req.catalog && id == 0)
        log(QStringLiteral("warning: the failed attempt could not be recorded in the catalog: %1").arg(catalogError));
    return {e, id, id ? FailedAttempt::details(id, e) : QJsonObject{}};
}

BackupRecord RedisBackupJob::attemptRecord() const {
    BackupRecord r;
    r.profile = m_req.sourceName;
    r.database = m_req.url.display();
    r.kind = QStringLiteral("redis");
    r.type = m_req.options.type;
    r.label = m_req.options.label;
    r.setId = m_req.options.setId;
    r.format = QStringLiteral("rdb");
    r.started = m_started;
    return r;
}

bool RedisBackupJob::triggerSave(RedisConnection &conn, Error *error) {
    const auto before = conn.info(QStringLiteral("persistence"), error);
    if (*error)
        return false;
    const bool haveCounter = before.contains(QStringLiteral("rdb_saves")); // Redis 7+
    const qint64 saves0 = before.value(QStringLiteral("rdb_saves")).toLongLong();
    const auto last0 = conn.command({"LASTSAVE"}, error);
    if (!last0)
        return false;
    // SCHEDULE: when an AOF rewrite is running, the save starts right after it instead of failing.
    auto r = conn.command({"BGSAVE", "SCHEDULE"}, error);
    if (!r)
        return false;
    if (r->isError() && r->text.contains("already in progress")) {
        log(QStringLiteral("a background save is already running; waiting for it, then starting ours"));
    } else if (r->isError()) {
        const bool perm = r->text.startsWith("NOPERM") || r->text.contains("unknown command");
        *error = {
            perm ? ExitCode::Usage : ExitCode::Transfer,
            QStringLiteral("Redis refused BGSAVE: %1%2")
                .arg(r->errorText(), perm ? QStringLiteral(" — the user needs +bgsave +info +lastsave") : QString())};
        return false;
    }
    const bool pendingRetry = r->isError();
    bool sawRunning = false;
    bool retried = false;
    QElapsedTimer t;
    t.start();
    JobProgress p;
    p.phase = QStringLiteral("waiting for BGSAVE");
    while (true) {
        if (isCancelled()) {
            *error = {ExitCode::Cancelled, QStringLiteral("cancelled")};
            return false;
        }
        if (t.elapsed() > qint64(m_req.options.saveTimeoutSec) * 1000) {
            *error = {ExitCode::Transfer, QStringLiteral("BGSAVE did not finish within %1 s — check the Redis log")
                                              .arg(m_req.options.saveTimeoutSec)};
            return false;
        }
        const auto inf = conn.info(QStringLiteral("persistence"), error);
        if (*error)
            return false;
        const bool running = inf.value(QStringLiteral("rdb_bgsave_in_progress")) == QLatin1String("1");
        sawRunning = sawRunning || running;
        if (!running && pendingRetry && !retried) {
            retried = true;
            r = conn.command({"BGSAVE", "SCHEDULE"}, error);
            if (!r)
                return false;
            if (r->isError()) {
                *error = {ExitCode::Transfer, QStringLiteral("Redis refused BGSAVE: %1").arg(r->errorText())};
                return false;
            }
            continue;
        }
        if (!running) {
            bool done;
            if (haveCounter) {
                done = inf.value(QStringLiteral("rdb_saves")).toLongLong() > saves0 + (retried ? 1 : 0);
            } else {
                const auto last = conn.command({"LASTSAVE"}, error);
                if (!last)
                    return false;
                done = last->integer > last0->integer || sawRunning;
            }
            if (done) {
                if (inf.value(QStringLiteral("rdb_last_bgsave_status")) != QLatin1String("ok")) {
                    *error = {ExitCode::Transfer,
                              QStringLiteral("the server's BGSAVE failed (rdb_last_bgsave_status:%1) — check the "
                                             "Redis log: disk full or no write permission in its dir")
                                  .arg(inf.value(QStringLiteral("rdb_last_bgsave_status")))};
                    return false;
                }
                log(QStringLiteral("BGSAVE done in %1 ms").arg(t.elapsed()));
                return true;
            }
        }
        reportProgress(p);
        QThread::msleep(200);
    }
}

JobResult RedisBackupJob::execute() {
    const QDateTime started = QDateTime::currentDateTimeUtc();
    m_started = started;
    const auto logFn = [this](const QString &l) { log(l); };
    const RedisBackupOptions &o = m_req.options;
    JobProgress progress;
    progress.phase = QStringLiteral("connecting");
    reportProgress(progress, true);

    RedisConnection conn;
    conn.setCancelFlag(cancelFlag());
    conn.setCaFile(o.caFile);
    Error err;
    if (!conn.open(m_req.url, &err))
        return failBeforeRecord(err);
    const auto server = conn.info(QStringLiteral("server"), &err);
    if (err)
        return failBeforeRecord(err);
    const QString version = server.value(QStringLiteral("redis_version"));
    log(QStringLiteral("Redis %1 at %2").arg(version, m_req.url.display()));

    if (!triggerSave(conn, &err))
        return failBeforeRecord(err);

    ArtifactBackup::Setup setup;
    setup.stores = std::move(m_req.stores);
    setup.catalog = m_req.catalog;
    setup.encryptTo = m_req.encryptTo;
    setup.compression = o.compression;
    setup.level = o.level;
    ArtifactBackup out(std::move(setup));

    BackupRecord record;
    record.profile = m_req.sourceName;
    record.database = m_req.url.display();
    record.kind = QStringLiteral("redis");
    record.type = o.type;
    record.label = o.label;
    record.setId = o.setId;
    record.format = QStringLiteral("rdb");
    record.serverVersion = version;
    record.started = started;
    record.filename = out.uniqueName(m_req.sourceName, QStringLiteral("redis"), started,
                                     QStringLiteral("rdb") + out.compressionSuffix());
    if (!out.begin(record, -1, &err)) {
        if (record.id == 0) // a store would not open: nothing was recorded yet
            return failBeforeRecord(err);
        log(err.message);
        return {err, record.id, {}};
    }

    progress.phase = QStringLiteral("fetching the snapshot");
    reportProgress(progress, true);
    NoFinish keepOpen(out.head());
    RdbMagicCheck check(&keepOpen);
    if (!o.localRdbPath.isEmpty()) {
        const QFileInfo fi(o.localRdbPath);
        if (!fi.isFile())
            return out.finishRecord(
                record, {ExitCode::Usage, QStringLiteral("--rdb-path %1 is not a file").arg(o.localRdbPath)}, logFn);
        log(QStringLiteral("reading %1 (written by the BGSAVE)").arg(o.localRdbPath));
        if (!ArtifactReader::streamFile(o.localRdbPath, &check, 0, cancelFlag(), &err))
            return out.finishRecord(record, check.error() ? check.error() : err, logFn);
    } else {
        const bool ok = conn.fetchRdb(
            &check,
            [&](qint64 done, qint64 total) {
                progress.bytes = done;
                progress.bytesTotal = total;
                reportProgress(progress);
            },
            &err);
        if (!ok)
            return out.finishRecord(record, check.error() ? check.error() : err, logFn);
    }
    if (!check.finish())
        return out.finishRecord(record, check.error(), logFn);
    if (!out.finishStream(record, &err))
        return out.finishRecord(record, err, logFn);
    record.toolVersion = QStringLiteral("RDB %1").arg(check.version());

    progress.phase = QStringLiteral("writing manifest");
    reportProgress(progress, true);
    const QDateTime finished = QDateTime::currentDateTimeUtc();
    Manifest m;
    m.toolVersion = QStringLiteral(LIFEBOAT_VERSION);
    m.profile = record.profile;
    m.host = m_req.url.hostPort();
    m.database = record.database;
    m.kind = record.kind;
    m.type = record.type;
    m.label = record.label;
    m.setId = record.setId;
    m.serverVersion = version;
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
    QString signNote;
    const QByteArray manifestJson = ManifestSigner::manifestJson(m, &signNote);
    log(signNote);
    if (!out.putManifests(manifestJson, record, &err))
        return out.finishRecord(record, err, logFn);
    log(QStringLiteral("backup complete: %1 (%2, sha256 %3)")
            .arg(record.filename, QLocale::c().formattedDataSize(record.size), record.sha256));
    progress.phase = QStringLiteral("done");
    reportProgress(progress, true);
    return out.finishRecord(record, {}, logFn);
}

} // namespace lifeboat
