#include "jobs/BackupJob.h"

#include "core/ChildEnvironment.h"

#include "core/ArtifactName.h"
#include "core/ProcessIdentity.h"
#include "core/ScratchName.h"
#include "crypto/AgeEncryptStage.h"
#include "jobs/ChildProcess.h"
#include "jobs/FailedAttempt.h"
#include "jobs/GlobalsDump.h"
#include "jobs/ManifestSigner.h"
#include "jobs/PgDumpCommand.h"
#include "pg/PgPassFile.h"
#include "pg/PgToolLocator.h"
#include "pipeline/GzipStage.h"
#include "pipeline/HashStage.h"
#include "pipeline/MemorySink.h"
#include "pipeline/ProgressStage.h"
#include "pipeline/Sha256.h"
#include "pipeline/TarWriter.h"
#include "pipeline/TeeSink.h"
#include "pipeline/ZstdStage.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>
#include <QSysInfo>
#include <QTemporaryDir>

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

BackupJob::BackupJob(Request request, QObject *parent)
    : Job(parent)
    , m_req(std::move(request)) {}

BackupJob::~BackupJob() = default;

QString BackupJob::title() const {
    return QStringLiteral("Backup of %1").arg(m_req.profile.name);
}

JobResult BackupJob::failBeforeRecord(const Error &e) {
    for (auto &s : m_req.stores)
        s->discard();
    log(e.message);
    // Refused or failed before writing: still an attempt, recorded with its error (see FailedAttempt).
    BackupRecord attempt;
    attempt.profile = m_req.profile.name;
    attempt.database = m_database;
    attempt.kind = QStringLiteral("database");
    attempt.type = m_req.options.type;
    attempt.label = m_req.options.label;
    attempt.setId = m_req.options.setId;
    attempt.format = m_req.options.format;
    attempt.started = m_started;
    QString catalogError;
    const qint64 id = FailedAttempt::record(m_req.catalog.get(), attempt, e, &catalogError);
    if (m_req.catalog && id == 0)
        log(QStringLiteral("warning: the failed attempt could not be recorded in the catalog: %1").arg(catalogError));
    return {e, id, id ? FailedAttempt::details(id, e) : QJsonObject{}};
}

bool BackupJob::resolveTables(PgSession &session, QList<PgSession::TableInfo> &tables, Error &error) {
    const QList<PgSession::TableInfo> all = session.tables();
    if (session.error()) {
        error = session.error();
        return false;
    }
    // Names resolve like pg_dump's patterns without wildcards: schema-qualified, or by the search path.
    auto resolve = [&](const QString &name, QList<PgSession::TableInfo> *out) -> bool {
        const auto [schema, table] = PgDumpCommand::splitQualified(name);
        const QString oidSql = QStringLiteral("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON "
                                              "n.oid = c.relnamespace WHERE c.oid = to_regclass($1)");
        const QString regclass = schema.isEmpty() ? session.quoteIdent(table) : session.quoteQualified(schema, table);
        PgSession::Rows rows;
        if (!session.exec(oidSql, {regclass}, &rows) || rows.isEmpty())
            return false;
        for (const auto &t : all) {
            if (t.schema == rows.first().at(0) && t.name == rows.first().at(1)) {
                if (out)
                    out->append(t);
                return true;
            }
        }
        return false;
    };
    QList<PgSession::TableInfo> selected;
    if (m_req.options.tables.isEmpty()) {
        selected = all;
    } else {
        for (const QString &name : m_req.options.tables) {
            if (!resolve(name, &selected)) {
                error = {ExitCode::PgTool, QStringLiteral("table \"%1\" matches nothing in database \"%2\" — check "
                                                          "the name (schema.table, case-sensitive)")
                                               .arg(name, session.currentDatabase())};
                return false;
            }
        }
    }
    QList<PgSession::TableInfo> excluded;
    for (const QString &name : std::as_const(m_req.options.excludeTables))
        resolve(name, &excluded); // an always-excluded table that doesn't exist is fine
    tables.clear();
    for (const auto &t : selected) {
        const bool drop = std::any_of(excluded.begin(), excluded.end(), [&](const PgSession::TableInfo &x) {
            return x.schema == t.schema && x.name == t.name;
        });
        if (!drop)
            tables.append(t);
    }
    return true;
}

void BackupJob::onDumpLine(const QString &line) {
    log(line);
    static const QRegularExpression re(QStringLiteral(R"re(dumping contents of table "(.+)"$)re"));
    const auto m = re.match(line);
    if (!m.hasMatch())
        return;
    // pg_dump names a table when it starts on it: the previous one is done.
    if (!m_progress.currentItem.isEmpty()) {
        m_progress.itemsDone = qMin(m_progress.itemsDone + 1, m_progress.itemsTotal);
        m_doneTableBytes += m_tableBytes.value(m_progress.currentItem);
    }
    m_progress.currentItem = m.captured(1);
}

bool BackupJob::storeGlobals(const Conninfo &target, const QString &password, const PgVersion &server,
                             const QString &artifact, const QList<BackupStore *> &stores, GlobalsCompanion *out,
                             Error *error) {
    GlobalsDump::Request req;
    req.target = target;
    req.password = password;
    req.server = server;
    req.pgToolDir = m_req.pgToolDir;
    // Password hashes are kept only inside an encrypted backup: never stored readable, whatever the profile asks.
    req.rolePasswords = m_req.profile.globalsRolePasswords && !m_req.encryptTo.empty();
    if (m_req.profile.globalsRolePasswords && m_req.encryptTo.empty())
        log(QStringLiteral("roles: password hashes left out — this backup is not encrypted (give the profile "
                           "--recipient to keep them)"));
    req.cancel = cancelFlag();
    req.log = [this](const QString &l) { log(l); };
    const GlobalsDump::Result dumped = GlobalsDump::run(req);
    if (dumped.error) {
        *error = dumped.error;
        return false;
    }
    GlobalsCompanion g;
    g.encrypted = !m_req.encryptTo.empty();
    g.rolePasswords = req.rolePasswords;
    g.filename = GlobalsCompanion::nameFor(artifact, g.encrypted);
    g.plainSha256 = QString::fromLatin1(Sha256::hex(dumped.sql));
    QByteArray stored = dumped.sql;
    if (g.encrypted) {
        // The same recipients as the artifact: whoever can restore the backup can read its roles, nobody else.
        MemorySink sink;
        AgeEncryptStage encrypt(m_req.encryptTo, &sink);
        if (!encrypt.write(dumped.sql) || !encrypt.finish()) {
            *error = {encrypt.error().code,
                      QStringLiteral("encrypting the server's roles failed: %1").arg(encrypt.error().message)};
            return false;
        }
        stored = sink.data();
    }
    g.size = stored.size();
    g.sha256 = QString::fromLatin1(Sha256::hex(stored));
    for (BackupStore *s : stores) {
        if (!s->putCompanion(g.filename, stored)) {
            *error = s->error();
            return false;
        }
    }
    log(QStringLiteral("server's roles: %1 (%2 bytes, sha256 %3)").arg(g.filename).arg(g.size).arg(g.sha256));
    *out = g;
    return true;
}

JobResult BackupJob::finishRecord(BackupRecord &record, const Error &e, const QList<BackupStore *> &stores) {
    record.finished = QDateTime::currentDateTimeUtc();
    record.durationMs = record.started.msecsTo(record.finished);
    if (e) {
        for (BackupStore *s : stores)
            s->discard();
        record.status = e.code == ExitCode::Cancelled ? BackupRecord::statusCancelled() : BackupRecord::statusFailed();
        record.error = e.message;
        record.locations.clear();
        record.globals = {}; // discarded with the copies
    }
    QString catalogError;
    if (m_req.catalog && !m_req.catalog->update(record, &catalogError) && !e) {
        // The copies are complete and their manifests are in place, but the catalog can't say so: not a success.
        // The files are kept; `catalog rebuild` recovers the record from the manifests.
        const Error ce{ExitCode::Usage, QStringLiteral("the backup %1 is stored, but recording it in the catalog "
                                                       "failed (%2) — run `lifeboatctl catalog rebuild STORAGE`")
                                            .arg(record.filename, catalogError)};
        log(ce.message);
        return {ce, record.id, {}};
    }
    if (!catalogError.isEmpty())
        log(QStringLiteral("warning: catalog update failed: %1").arg(catalogError));
    m_progress.phase = e ? record.status.toLower() : QStringLiteral("done");
    reportProgress(m_progress, true);
    if (e)
        log(e.message);
    QJsonObject details{{QStringLiteral("id"), record.id},
                        {QStringLiteral("status"), record.status},
                        {QStringLiteral("filename"), record.filename},
                        {QStringLiteral("size"), record.size},
                        {QStringLiteral("sha256"), record.sha256},
                        {QStringLiteral("durationMs"), record.durationMs}};
    QJsonArray locs;
    for (const auto &l : record.locations)
        locs.append(QJsonObject{{QStringLiteral("storage"), l.storage}, {QStringLiteral("path"), l.path}});
    details[QStringLiteral("locations")] = locs;
    if (e)
        details[QStringLiteral("error")] = e.message;
    return {e, record.id, details};
}

JobResult BackupJob::execute() {
    const QDateTime started = QDateTime::currentDateTimeUtc();
    m_started = started;
    // The profile's always-excluded tables (e.g. _prisma_migrations) join this run's exclusions, for the counts
    // and for pg_dump alike.
    for (const QString &t : std::as_const(m_req.profile.excludeTables)) {
        if (!m_req.options.excludeTables.contains(t))
            m_req.options.excludeTables << t;
    }
    m_progress.phase = QStringLiteral("connecting");
    reportProgress(m_progress, true);

    Error err;
    const Conninfo ci = Conninfo::parse(m_req.profile.conninfo, &err);
    if (!ci.isValid())
        return failBeforeRecord(err);
    m_database = ci.dbname(); // until the server says which database the connection reached
    QString password = m_req.password;
    if (password.isEmpty())
        password = ci.password();
    if (password.isEmpty())
        password = qEnvironmentVariable("PGPASSWORD");
    ChildEnvironment::registerSecret(password);

    PgSession session;
    if (!session.connect(ci, password))
        return failBeforeRecord(session.error());
    const QString database = session.currentDatabase();
    m_database = database;
    const PgVersion server = session.serverVersion();
    const PgToolLocator::Tool pgDump = PgToolLocator(m_req.pgToolDir).choose(QStringLiteral("pg_dump"), server, &err);
    if (err)
        return failBeforeRecord(err);
    if (m_req.profile.globals) {
        // pg_dumpall is chosen like pg_dump: a missing or too old one refuses now, before anything is written.
        PgToolLocator(m_req.pgToolDir).choose(QStringLiteral("pg_dumpall"), server, &err);
        if (err)
            return failBeforeRecord(
                {err.code, QStringLiteral("the profile keeps the server's roles (--globals): %1 Or turn "
                                          "them off: profile add … --no-globals.")
                               .arg(err.message)});
    }
    log(QStringLiteral("server %1 (PostgreSQL %2), database \"%3\", using %4 (%5)")
            .arg(ci.hostPort(), server.toString(), database, pgDump.path, pgDump.version.toString()));

    QList<PgSession::TableInfo> tables;
    if (!resolveTables(session, tables, err))
        return failBeforeRecord(err);

    QTemporaryDir scratch(ScratchName::templatePath(QStringLiteral("dump"), m_req.workDir));
    const QString dumpDir = scratch.path() + QStringLiteral("/dump");
    // Every connection parameter explicit, as libpq resolved them for this session: pg_dump reaches the server
    // that was counted (and its --snapshot import would fail anywhere else), whatever its environment lost.
    const Conninfo target = session.effective();
    const QString conninfo = target.toKeywordString();
    PgDumpCommand::Plan plan = PgDumpCommand::build(m_req.options, pgDump.version, conninfo, {}, dumpDir, &err);
    if (err)
        return failBeforeRecord(err);
    if (!plan.toStdout && !scratch.isValid())
        return failBeforeRecord({ExitCode::Usage, QStringLiteral("cannot create a scratch directory for the "
                                                                 "directory format in %1")
                                                      .arg(scratch.path())});

    // Free space: table data (heap + TOAST) is the estimate; compressed output is assumed to need half of it.
    for (const auto &t : tables) {
        m_tableBytes.insert(t.qualified(), t.bytes);
        m_totalTableBytes += t.bytes;
    }
    if (m_req.checkFreeSpace && !m_req.options.schemaOnly) {
        const bool compressed = plan.compression != QLatin1String("none");
        const qint64 needed = compressed ? m_totalTableBytes / 2 : m_totalTableBytes;
        for (const auto &s : m_req.stores) {
            const qint64 free = s->freeBytes();
            if (free >= 0 && free < needed) {
                return failBeforeRecord(
                    {ExitCode::Refused, QStringLiteral("not enough free space on storage \"%1\": about %2 needed "
                                                       "(estimated from table sizes), %3 free — free some space or "
                                                       "choose another storage")
                                            .arg(s->storageName(), human(needed), human(free))});
            }
        }
    }

    const bool encrypted = !m_req.encryptTo.empty();
    // Names have one-second resolution: a second backup of the same database within that second gets "-2".
    QString artifact = ArtifactName::make(m_req.profile.name, database, started, plan.extension, encrypted);
    for (int seq = 2; m_req.catalog && m_req.catalog->hasFilename(artifact) && seq < 1000; ++seq)
        artifact = ArtifactName::make(m_req.profile.name, database, started, plan.extension, encrypted, seq);
    QList<BackupStore *> stores;
    for (auto &s : m_req.stores) {
        if (!s->begin(artifact, m_req.options.type.section(QLatin1Char(','), 0, 0), started, m_totalTableBytes))
            return failBeforeRecord({s->error().code, s->error().message});
        stores << s.get();
    }
    if (stores.isEmpty())
        return failBeforeRecord({ExitCode::Usage, QStringLiteral("no storage to write to — add one with `storage add` "
                                                                 "or pass --storage")});

    // The pipeline, built back to front.
    std::vector<ByteSink *> sinks;
    for (BackupStore *s : stores)
        sinks.push_back(s->sink());
    TeeSink tee(sinks);
    HashStage stored(&tee);
    std::unique_ptr<AgeEncryptStage> encrypt;
    std::unique_ptr<HashStage> plainHash;
    ByteSink *head = &stored;
    if (encrypted) {
        encrypt = std::make_unique<AgeEncryptStage>(m_req.encryptTo, &stored);
        plainHash = std::make_unique<HashStage>(encrypt.get());
        head = plainHash.get();
    }
    std::unique_ptr<GzipStage> gzip;
    if (plan.gzipInProcess) {
        gzip = std::make_unique<GzipStage>(head, plan.gzipLevel);
        head = gzip.get();
    }
    std::unique_ptr<ZstdStage> zstd;
    if (plan.zstdInProcess) {
        // libzstd's worker compresses while this thread reads pg_dump: the two overlap on separate cores.
        zstd = std::make_unique<ZstdStage>(head, plan.zstdLevel, plan.zstdThreads);
        head = zstd.get();
    }

    BackupRecord record;
    record.profile = m_req.profile.name;
    record.database = database;
    record.kind = QStringLiteral("database");
    record.type = m_req.options.type;
    record.label = m_req.options.label;
    record.setId = m_req.options.setId;
    record.filename = artifact;
    record.format = m_req.options.format;
    record.compression = plan.compression;
    record.serverVersion = server.toString();
    record.toolVersion = pgDump.version.toString();
    record.encrypted = encrypted;
    record.recipients = encrypt ? encrypt->recipientStrings() : QStringList(); // public keys or "scrypt" only
    record.started = started;
    record.host = QSysInfo::machineHostName();
    record.pid = QCoreApplication::applicationPid();
    record.owner = ProcessIdentity::ownerIdentity(); // start-up recovery tells a live run by it
    record.tableCount = static_cast<int>(tables.size());
    // Where the copies are being written: if this process dies, the start-up recovery of the next run removes
    // exactly these partial files and aborts these uploads (StartupRecovery). Replaced by the finished copies below.
    for (BackupStore *s : stores)
        record.locations.append(s->location());
    QString catalogError;
    if (m_req.catalog && !m_req.catalog->insert(record, &catalogError))
        return failBeforeRecord({ExitCode::Usage, QStringLiteral("catalog: %1").arg(catalogError)});

    // Counts and dump share one snapshot: the transaction stays open until pg_dump is done.
    m_progress.phase = QStringLiteral("counting rows");
    m_progress.itemsTotal = static_cast<int>(tables.size());
    reportProgress(m_progress, true);
    const QString snapshot = session.beginExportedSnapshot();
    if (snapshot.isEmpty()) {
        head->abort();
        return finishRecord(
            record, {ExitCode::PgTool, QStringLiteral("cannot export a snapshot: %1").arg(session.error().message)},
            stores);
    }
    Manifest manifest;
    for (const auto &t : tables) {
        if (isCancelled()) {
            head->abort();
            return finishRecord(record, {ExitCode::Cancelled, QStringLiteral("cancelled")}, stores);
        }
        const qint64 rows = m_req.options.schemaOnly ? 0 : session.exactRowCount(t.schema, t.name);
        if (rows < 0) {
            head->abort();
            return finishRecord(
                record,
                {ExitCode::PgTool,
                 QStringLiteral("counting rows of %1 failed: %2").arg(t.qualified(), session.error().message)},
                stores);
        }
        manifest.tables.append({t.schema, t.name, rows});
    }
    plan = PgDumpCommand::build(m_req.options, pgDump.version, conninfo, snapshot, dumpDir, &err);
    if (err) {
        head->abort();
        return finishRecord(record, err, stores);
    }

    PgPassFile passFile;
    if (!password.isEmpty() && !passFile.create(password, target)) {
        head->abort();
        return finishRecord(record, {ExitCode::Usage, QStringLiteral("cannot create a temporary password file")},
                            stores);
    }
    const QProcessEnvironment env = ChildEnvironment::forPgTool({password}, passFile.path());

    m_progress.phase = QStringLiteral("dumping");
    m_progress.itemsDone = 0;
    reportProgress(m_progress, true);
    ChildProcess child(pgDump.path, plan.args, env);
    child.setCancelFlag(cancelFlag());
    child.setStderrHandler([this](const QString &line) { onDumpLine(line); });
    ProgressStage progressSink(head, [this](qint64 bytes) {
        m_progress.bytes = bytes;
        // ETA from the share of table data dumped so far: bytes out aren't comparable to bytes on the server.
        if (m_totalTableBytes > 0 && m_doneTableBytes > 0) {
            const double f = qMin(1.0, double(m_doneTableBytes) / double(m_totalTableBytes));
            m_progress.etaSeconds = qint64(elapsedMs() / 1000.0 * (1.0 - f) / f);
        }
        reportProgress(m_progress);
    });
    const bool dumped = child.run(plan.toStdout ? static_cast<ByteSink *>(&progressSink) : nullptr);
    session.exec(QStringLiteral("COMMIT"));
    Error dumpError;
    if (!dumped) {
        if (child.wasCancelled() || isCancelled())
            dumpError = {ExitCode::Cancelled, QStringLiteral("cancelled")};
        else if (!child.errorText().isEmpty() && child.exitCode() == -1 && !child.crashed())
            dumpError = {ExitCode::PgTool, child.errorText()};
        else
            dumpError = {ExitCode::PgTool,
                         QStringLiteral("pg_dump failed: %1")
                             .arg(firstErrorLine(child.stderrTail()).isEmpty() ? child.errorText()
                                                                               : firstErrorLine(child.stderrTail()))};
        if (child.crashed())
            dumpError.message =
                QStringLiteral("pg_dump was killed or crashed; %1").arg(firstErrorLine(child.stderrTail()));
    }
    if (!dumpError)
        m_progress.itemsDone = m_progress.itemsTotal;
    if (!dumpError && !plan.toStdout) {
        m_progress.phase = QStringLiteral("archiving");
        reportProgress(m_progress, true);
        TarWriter tar(&progressSink);
        if (!tar.writeTree(dumpDir, QString(), cancelFlag()))
            dumpError = tar.error();
    }
    if (!dumpError && !head->finish())
        dumpError = head->error();
    if (dumpError) {
        head->abort();
        return finishRecord(record, dumpError, stores);
    }

    if (m_req.profile.globals) {
        m_progress.phase = QStringLiteral("dumping roles");
        reportProgress(m_progress, true);
        Error globalsError;
        if (!storeGlobals(target, password, server, artifact, stores, &record.globals, &globalsError))
            return finishRecord(record, globalsError, stores);
    }

    m_progress.phase = QStringLiteral("writing manifest");
    reportProgress(m_progress, true);
    record.size = stored.bytes();
    record.bytesRead = progressSink.total(); // pg_dump's output (or the tar stream) before Lifeboat's compression
    record.sha256 = QString::fromLatin1(stored.sha256Hex());
    record.plainSha256 = plainHash ? QString::fromLatin1(plainHash->sha256Hex()) : record.sha256;
    const QDateTime finished = QDateTime::currentDateTimeUtc();
    manifest.toolVersion = QStringLiteral(LIFEBOAT_VERSION);
    manifest.profile = record.profile;
    manifest.host = ci.hostPort();
    manifest.database = database;
    manifest.type = record.type;
    manifest.label = record.label;
    manifest.setId = record.setId;
    manifest.serverVersion = record.serverVersion;
    manifest.pgDumpVersion = record.toolVersion;
    manifest.format = record.format;
    manifest.compression = record.compression;
    manifest.artifact = artifact;
    manifest.size = record.size;
    manifest.bytesRead = record.bytesRead;
    manifest.sha256 = record.sha256;
    manifest.plainSha256 = record.plainSha256;
    manifest.encrypted = encrypted;
    manifest.recipients = record.recipients;
    manifest.started = started;
    manifest.finished = finished;
    manifest.durationMs = started.msecsTo(finished);
    manifest.globals = record.globals.toJson();
    QString signNote;
    const QByteArray json = ManifestSigner::manifestJson(manifest, &signNote);
    log(signNote);
    record.locations.clear(); // the planned copies become the finished ones, one by one
    for (BackupStore *s : stores) {
        if (!s->putManifest(json))
            return finishRecord(record, s->error(), stores);
        record.locations.append(s->location());
    }
    record.status = BackupRecord::statusCompleted();
    if (plan.zstdInProcess && progressSink.total() > 0)
        log(QStringLiteral("zstd: %1 read from pg_dump, %2 stored (ratio %3)")
                .arg(human(progressSink.total()), human(record.size))
                .arg(double(record.size) / double(progressSink.total()), 0, 'f', 3));
    log(QStringLiteral("backup complete: %1 (%2, sha256 %3)").arg(artifact, human(record.size), record.sha256));
    return finishRecord(record, {}, stores);
}

} // namespace lifeboat
