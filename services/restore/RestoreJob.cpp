#include "restore/RestoreJob.h"

#include "catalog/LeaseGuard.h"

#include "core/ArtifactName.h"
#include "core/ChildEnvironment.h"

#include "jobs/CancelForwarder.h"
#include "pg/PgSession.h"
#include "restore/ManifestSignatureCheck.h"
#include "restore/MissingRoles.h"
#include "restore/PostRestoreCommand.h"
#include "restore/ProductionGuard.h"
#include "restore/RestoreEngine.h"
#include "restore/RestoredTargetCheck.h"

#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>

namespace lifeboat {

namespace {
using CheckOutcome = SafetyCheck::Outcome;

SafetyCheck make(const QString &id, const QString &title, CheckOutcome o, const QString &detail,
                 ExitCode code = ExitCode::Refused) {
    return {id, title, o, detail, o == CheckOutcome::Refused ? code : ExitCode::Ok};
}

} // namespace

RestoreJob::RestoreJob(Request request, QObject *parent)
    : Job(parent)
    , m_req(std::move(request)) {}

RestoreJob::~RestoreJob() = default;

QString RestoreJob::title() const {
    return QStringLiteral("Restore of %1 into %2").arg(ArtifactName::sourceLabel(m_req.source), m_req.options.targetDb);
}

QString RestoreJob::refusalMessage(const QList<SafetyCheck> &checks, ExitCode *code) {
    for (const SafetyCheck &c : checks) {
        if (c.refused()) {
            if (code)
                *code = c.code;
            return QStringLiteral("refused: %1 — %2").arg(c.title, c.detail);
        }
    }
    return {};
}

JobResult RestoreJob::refuse(const QJsonObject &details) {
    ExitCode code = ExitCode::Refused;
    const QString msg = refusalMessage(m_checks, &code);
    QJsonObject d = details;
    d[QStringLiteral("checks")] = SafetyCheck::toJson(m_checks);
    d[QStringLiteral("error")] = msg;
    log(msg + QStringLiteral(" — nothing was changed"));
    return {{code, msg + QStringLiteral(" — nothing was changed")}, 0, d};
}

QJsonObject RestoreJob::planJson(RestoreEngine &engine) const {
    const RestoreOptions &o = m_req.options;
    QJsonObject plan{{QStringLiteral("database"), o.targetDb},
                     {QStringLiteral("createDatabase"), o.create},
                     {QStringLiteral("clean"), o.clean},
                     {QStringLiteral("input"), engine.inputDescription()}};
    QString err;
    const QSet<int> ids = engine.selection(o, &err);
    QJsonArray restore, drop;
    QHash<QString, qint64> rows;
    if (engine.source().manifest()) {
        for (const auto &t : engine.source().manifest()->tables)
            rows.insert(t.schema + QLatin1Char('.') + t.name, t.rows);
    }
    static const QStringList dataTypes{QStringLiteral("TABLE DATA"), QStringLiteral("SEQUENCE SET"),
                                       QStringLiteral("BLOBS"), QStringLiteral("BLOB")};
    for (const TocEntry &e : engine.plan().entries()) {
        if (!ids.contains(e.dumpId))
            continue;
        const bool data = dataTypes.contains(e.type);
        if ((o.dataOnly && !data) || (o.schemaOnly && data))
            continue;
        QJsonObject j{{QStringLiteral("id"), e.dumpId},
                      {QStringLiteral("type"), e.type},
                      {QStringLiteral("schema"), e.schema},
                      {QStringLiteral("name"), e.name}};
        if (e.type == QLatin1String("TABLE DATA") && rows.contains(e.qualified()))
            j[QStringLiteral("rows")] = rows.value(e.qualified());
        restore.append(j);
        if (o.clean && !data && e.type != QLatin1String("COMMENT") && e.type != QLatin1String("ACL"))
            drop.append(QStringLiteral("%1 %2").arg(e.type, e.qualified()));
    }
    plan[QStringLiteral("restore")] = restore;
    plan[QStringLiteral("drop")] = drop;
    return plan;
}

bool RestoreJob::runPostRestore(QJsonObject *details, Error *error) {
    if (m_req.options.postRestoreCommand.isEmpty())
        return true;
    return PostRestoreCommand::run(
        m_req.options.postRestoreCommand, m_target, m_req.password, m_req.options.targetDb, cancelFlag(),
        [this](const QString &line) { log(line); }, details, error);
}

JobResult RestoreJob::execute() {
    const RestoreOptions &o = m_req.options;
    JobProgress progress;
    progress.phase = QStringLiteral("checking");
    reportProgress(progress, true);
    QJsonObject details{{QStringLiteral("dryRun"), o.dryRun}, {QStringLiteral("targetDb"), o.targetDb}};

    Error err;
    auto src = RestoreSource::open(m_req.source, m_req.catalog.get(), m_req.storages, &err);
    if (!src)
        return {err, 0, details};
    if (const Error e = src->requireDatabase())
        return {e, 0, details};
    // The backup is not deleted (delete, prune) while this restore runs; one being deleted is not restored.
    LeaseGuard lease;
    const qint64 leaseId = src->isRecord() ? src->record().id : 0;
    setProperty("auditBackupId", leaseId); // the backup restored, for the audit trail (JobRunner)
    if (const Error e = LeaseGuard::acquire(m_req.catalog.get(), leaseId, QStringLiteral("restore"), &lease))
        return {e, 0, details};
    ChildEnvironment::registerSecret(m_req.password);
    src->setIdentities(m_req.identities);
    src->setSecretLookup([secrets = m_req.storageSecrets](const QString &storage) { return secrets.value(storage); });
    RestoreEngine engine(std::move(*src), m_req.pgToolDir, m_req.workDir, cancelFlag());
    engine.setLog([this](const QString &l) { log(l); });

    auto blocked = [&] {
        return std::any_of(m_checks.begin(), m_checks.end(), [](const SafetyCheck &c) { return c.refused(); });
    };
    auto skip = [&](const QString &id, const QString &title) {
        m_checks << make(id, title, CheckOutcome::Skipped, QStringLiteral("not checked: an earlier check refused"));
    };

    // 1-2: the artifact itself.
    m_checks << engine.checkIntegrity();
    if (engine.source().copyUsed().valid())
        details[QStringLiteral("copy")] = engine.source().copyUsed().toJson();
    ManifestVerdict signature;
    m_checks << manifestSignatureCheck(engine.source(), m_req.source, m_req.catalog.get(), m_req.storages,
                                       m_req.storageSecrets, o.requireSigned, &signature, o.desktopWording);
    details[QStringLiteral("manifestSignature")] = signature.toJson();
    if (!blocked())
        m_checks << engine.inspectArchive();
    else
        skip(QStringLiteral("archive"), QStringLiteral("Archive format"));
    if (!blocked() && !engine.hasToc() && (!o.tables.isEmpty() || o.clean || o.dataOnly || o.schemaOnly)) {
        m_checks << make(QStringLiteral("options"), QStringLiteral("Options fit the backup"), CheckOutcome::Refused,
                         QStringLiteral("a plain SQL backup restores as a whole: --tables, --clean, --data-only and "
                                        "--schema-only need a custom or directory format backup"),
                         ExitCode::Usage);
    }

    // 3: the target server.
    const QString targetTitle = QStringLiteral("Target reachable");
    const Conninfo ci = Conninfo::parse(o.targetConninfo, &err);
    PgSession session;
    bool reachable = false;
    if (!ci.isValid()) {
        m_checks << make(QStringLiteral("target"), targetTitle, CheckOutcome::Refused, err.message, ExitCode::Usage);
    } else {
        const QString maintenance =
            ci.dbname().isEmpty() || ci.dbname() == o.targetDb ? QStringLiteral("postgres") : ci.dbname();
        reachable = session.connect(ci.withDatabase(maintenance), m_req.password);
        if (!reachable && maintenance != QLatin1String("template1"))
            reachable = session.connect(ci.withDatabase(QStringLiteral("template1")), m_req.password);
        if (reachable) {
            // Children (pg_restore, psql, the post-restore command) get exactly what this session reached.
            m_target = session.effective();
            static const QRegularExpression identityForm(QStringLiteral("^[0-9]+:[0-9]+$"));
            const QString identity = session.serverIdentity();
            m_req.options.expectedServerIdentity = identityForm.match(identity).hasMatch() ? identity : QString();
            m_checks << make(
                QStringLiteral("target"), targetTitle, CheckOutcome::Passed,
                QStringLiteral("%1, PostgreSQL %2").arg(ci.hostPort(), session.serverVersion().toString()));
            if (const auto c = ProductionGuard::check(m_req.productionServers, m_target, m_req.password, &m_req.options,
                                                      &m_req.safetyBackup))
                m_checks << *c;
        } else
            m_checks << make(QStringLiteral("target"), targetTitle, CheckOutcome::Refused, session.error().message);
    }

    // 4-5: tools and a full look at the archive.
    if (!blocked())
        m_checks << engine.chooseTool(session.serverVersion());
    else
        skip(QStringLiteral("client"), QStringLiteral("Client tools fit archive and server"));
    bool seekableCopy = false; // Lifeboat chose a parallel restore that needs a decompressed copy
    if (!blocked()) {
        const bool verified = m_checks.first().outcome == CheckOutcome::Passed;
        m_checks << engine.checkReadable(o.jobs > 1 || !o.tables.isEmpty(), !o.tables.isEmpty() || o.dryRun, !verified);
        if (!blocked() && engine.hasToc() && o.jobs == RestoreOptions::kAutoJobs) {
            // Lifeboat's choice (`lifeboatctl restore` without --jobs): a parallel pg_restore where the archive
            // allows it. Its decompressed copy is written once every check has passed (a refusal must not first
            // decompress a large archive), and still before the target is touched.
            QString why;
            const int jobs = engine.autoJobs(o, &why);
            seekableCopy = jobs > 1 && !o.dryRun;
            m_req.options.jobs = jobs;
            details[QStringLiteral("jobs")] = jobs;
            details[QStringLiteral("jobsChoice")] = why;
            log(QStringLiteral("restore with %1").arg(why));
        }
        QString selErr;
        if (!blocked() && engine.hasToc() && !o.tables.isEmpty() && engine.selection(o, &selErr).isEmpty())
            m_checks << make(QStringLiteral("options"), QStringLiteral("Options fit the backup"), CheckOutcome::Refused,
                             selErr, ExitCode::Usage);
    } else {
        skip(QStringLiteral("readable"), QStringLiteral("Archive readable"));
    }

    // 6-9: the target database.
    bool exists = false;
    if (reachable) {
        exists = session.databaseExists(o.targetDb);
        const QString t = QStringLiteral("Target database");
        const bool desktop = o.desktopWording;
        if (o.create && exists)
            m_checks << make(QStringLiteral("database"), t, CheckOutcome::Refused,
                             (desktop ? QStringLiteral("database \"%1\" already exists — choose a new name, or restore "
                                                       "into the existing database (its name typed to confirm)")
                                      : QStringLiteral("database \"%1\" already exists but --create was given — choose "
                                                       "a new name, or restore into it without --create (with "
                                                       "--confirm %1)"))
                                 .arg(o.targetDb));
        else if (!o.create && !exists)
            m_checks << make(QStringLiteral("database"), t, CheckOutcome::Refused,
                             (desktop ? QStringLiteral("database \"%1\" does not exist on %2 — choose “a new "
                                                       "database” to create it")
                                      : QStringLiteral("database \"%1\" does not exist on %2 — add --create to "
                                                       "create it"))
                                 .arg(o.targetDb, ci.hostPort()));
        else
            m_checks << make(QStringLiteral("database"), t, CheckOutcome::Passed,
                             exists ? QStringLiteral("\"%1\" exists; the restore goes into it").arg(o.targetDb)
                                    : QStringLiteral("\"%1\" does not exist yet and will be created").arg(o.targetDb));

        const QString ct = QStringLiteral("Active connections");
        if (exists) {
            const auto conns = session.activeConnections(o.targetDb);
            QStringList who;
            for (const auto &c : conns)
                who << QStringLiteral("pid %1 %2@%3 %4 (%5)")
                           .arg(c.pid)
                           .arg(c.user, c.clientAddress, c.application, c.state);
            QJsonArray list;
            for (const QString &w : who)
                list.append(w);
            details[QStringLiteral("activeConnections")] = list;
            if (conns.isEmpty())
                m_checks << make(QStringLiteral("connections"), ct, CheckOutcome::Passed, QStringLiteral("none"));
            else if (o.terminateConnections)
                m_checks << make(QStringLiteral("connections"), ct, CheckOutcome::Warning,
                                 (desktop ? QStringLiteral("%1 connection(s) will be ended (as you chose): %2")
                                          : QStringLiteral("%1 connection(s) will be ended (--terminate-connections): "
                                                           "%2"))
                                     .arg(conns.size())
                                     .arg(who.join(QStringLiteral("; "))));
            else
                m_checks << make(QStringLiteral("connections"), ct,
                                 o.dryRun ? CheckOutcome::Warning : CheckOutcome::Refused,
                                 (desktop ? QStringLiteral("%1 connection(s) to \"%2\": %3 — close them, or choose "
                                                           "to end them")
                                          : QStringLiteral("%1 connection(s) to \"%2\": %3 — close them or pass "
                                                           "--terminate-connections"))
                                     .arg(conns.size())
                                     .arg(o.targetDb, who.join(QStringLiteral("; "))));
        } else {
            m_checks << make(QStringLiteral("connections"), ct, CheckOutcome::Passed, QStringLiteral("new database"));
        }

        const QString cf = QStringLiteral("Typed confirmation");
        const bool confirmed = o.confirm == o.targetDb;
        if (!exists)
            m_checks << make(QStringLiteral("confirm"), cf, CheckOutcome::Passed,
                             QStringLiteral("not needed for a new database"));
        else if (confirmed)
            m_checks << make(
                QStringLiteral("confirm"), cf, CheckOutcome::Passed,
                (desktop ? QStringLiteral("the typed name matches \"%1\"") : QStringLiteral("--confirm names \"%1\""))
                    .arg(o.targetDb));
        else
            m_checks << make(
                QStringLiteral("confirm"), cf, o.dryRun ? CheckOutcome::Warning : CheckOutcome::Refused,
                o.confirm.isEmpty()
                    ? (desktop ? QStringLiteral("restoring into the existing database \"%1\" needs its name typed")
                               : QStringLiteral("restoring into the existing database \"%1\" needs --confirm %1"))
                          .arg(o.targetDb)
                    : (desktop ? QStringLiteral("the typed name \"%1\" does not match the target database \"%2\"")
                               : QStringLiteral("--confirm \"%1\" does not match the target database \"%2\""))
                          .arg(o.confirm, o.targetDb));
    } else {
        skip(QStringLiteral("database"), QStringLiteral("Target database"));
        skip(QStringLiteral("connections"), QStringLiteral("Active connections"));
        skip(QStringLiteral("confirm"), QStringLiteral("Typed confirmation"));
    }

    // The server's roles, when asked for: read and planned with the checks, created only after all of them pass.
    MissingRoles roles;
    if (o.createMissingRoles) {
        if (reachable && !blocked()) {
            MissingRoles::Input in;
            in.source = &engine.source();
            in.sourceSpec = m_req.source;
            in.storages = m_req.storages;
            in.storageSecrets = m_req.storageSecrets;
            in.identities = m_req.identities;
            in.workDir = m_req.workDir;
            in.cancel = cancelFlag();
            in.desktopWording = o.desktopWording;
            m_checks << roles.check(in, session);
            if (roles.ready()) {
                details[QStringLiteral("roles")] = roles.toJson();
                // The typed confirmation covers the roles too: its text says what else the run changes.
                const int n = static_cast<int>(roles.plan().create.size());
                for (SafetyCheck &c : m_checks) {
                    if (c.id != QLatin1String("confirm") || n == 0)
                        continue;
                    // Roles are server-wide: on a production server creating them needs the typed name even when
                    // the database itself is new (which alone needs no confirmation).
                    if (o.targetProduction && o.confirm != o.targetDb && c.outcome == CheckOutcome::Passed) {
                        c.outcome = o.dryRun ? CheckOutcome::Warning : CheckOutcome::Refused;
                        c.code = c.outcome == CheckOutcome::Refused ? ExitCode::Refused : ExitCode::Ok;
                        c.detail =
                            (o.desktopWording ? QStringLiteral("creating %1 role(s) on the production server needs the "
                                                               "name \"%2\" typed")
                                              : QStringLiteral("creating %1 role(s) on the production server needs "
                                                               "--confirm %2"))
                                .arg(n)
                                .arg(o.targetDb);
                        continue;
                    }
                    c.detail += QStringLiteral(" — and create %1 role(s) on the server").arg(n);
                }
            }
        } else {
            skip(QStringLiteral("roles"), QStringLiteral("Missing roles"));
        }
    }

    const QString sb = QStringLiteral("Safety backup of the target");
    std::unique_ptr<Job> safetyJob;
    if (!o.targetProduction) {
        m_checks << make(QStringLiteral("safety-backup"), sb, CheckOutcome::Skipped,
                         QStringLiteral("the target is not a production profile"));
    } else if (!exists) {
        m_checks << make(QStringLiteral("safety-backup"), sb, CheckOutcome::Passed,
                         QStringLiteral("production target, but the database is new: nothing to back up"));
    } else if (o.noSafetyBackup) {
        if (o.confirm == o.targetDb)
            m_checks << make(QStringLiteral("safety-backup"), sb, CheckOutcome::Warning,
                             o.desktopWording ? QStringLiteral("skipped on your explicit request (name typed)")
                                              : QStringLiteral("skipped on request (--no-safety-backup, confirmed)"));
        else
            m_checks << make(
                QStringLiteral("safety-backup"), sb, o.dryRun ? CheckOutcome::Warning : CheckOutcome::Refused,
                (o.desktopWording ? QStringLiteral("\"%1\" is a production profile: skipping its safety backup "
                                                   "needs the override ticked and the name \"%2\" typed")
                                  : QStringLiteral("\"%1\" is a production profile: skipping its safety backup "
                                                   "needs --no-safety-backup together with --confirm %2"))
                    .arg(o.targetProfile, o.targetDb));
    } else {
        Error why;
        safetyJob = m_req.safetyBackup ? m_req.safetyBackup(o.targetDb, &why) : nullptr;
        if (!safetyJob)
            m_checks << make(
                QStringLiteral("safety-backup"), sb, CheckOutcome::Refused,
                (o.desktopWording ? QStringLiteral("\"%1\" is a production profile and its safety backup cannot be "
                                                   "taken: %2 — fix that, or tick the override and type %3")
                                  : QStringLiteral("\"%1\" is a production profile and its safety backup cannot be "
                                                   "taken: %2 — fix that, or pass --no-safety-backup with --confirm "
                                                   "%3"))
                    .arg(o.targetProfile, why.message.isEmpty() ? QStringLiteral("no backup configured") : why.message,
                         o.targetDb));
        else
            m_checks << make(QStringLiteral("safety-backup"), sb, CheckOutcome::Passed,
                             QStringLiteral("a backup of \"%1\" is taken before anything is changed").arg(o.targetDb));
    }

    details[QStringLiteral("checks")] = SafetyCheck::toJson(m_checks);
    for (const SafetyCheck &c : m_checks)
        log(QStringLiteral("check %1: %2 — %3").arg(SafetyCheck::outcomeName(c.outcome), c.title, c.detail));
    if (blocked())
        return refuse(details);
    if (engine.hasToc())
        details[QStringLiteral("plan")] = planJson(engine);
    if (o.dryRun) {
        log(QStringLiteral("dry run: nothing was changed"));
        return {{}, 0, details};
    }
    if (isCancelled())
        return cancelledResult();
    if (seekableCopy) {
        Error e;
        if (!engine.prepareSeekable(&e)) {
            if (e.code == ExitCode::Cancelled)
                return cancelledResult();
            if (e.code == ExitCode::Integrity)
                return {{ExitCode::Integrity,
                         QStringLiteral("the archive could not be decompressed for a parallel restore, so nothing was "
                                        "restored: %1")
                             .arg(e.message)},
                        0,
                        details};
            // No room after all, or the scratch disk failed: the streamed restore needs no copy.
            const QString why =
                QStringLiteral("one pg_restore job: the decompressed copy could not be written (%1)").arg(e.message);
            m_req.options.jobs = 1;
            details[QStringLiteral("jobs")] = 1;
            details[QStringLiteral("jobsChoice")] = why;
            log(QStringLiteral("restore with %1").arg(why));
        }
    }

    // Past here things change, in this order: safety backup, create, end connections, restore, post-restore.
    if (safetyJob) {
        progress.phase = QStringLiteral("safety backup");
        reportProgress(progress, true);
        connect(
            safetyJob.get(), &Job::logLine, this,
            [this](const QString &l) { log(QStringLiteral("safety backup: ") + l); }, Qt::DirectConnection);
        JobResult r;
        {
            // A cancel (GUI, Ctrl-C, SIGTERM) reaches the running safety backup at once, and nothing after it runs.
            CancelForwarder forward(this);
            forward.setRunning(safetyJob.get());
            r = safetyJob->run();
            forward.setRunning(nullptr);
        }
        if (isCancelled() || r.error.code == ExitCode::Cancelled) {
            log(QStringLiteral("cancelled during the safety backup: nothing was restored, no connection ended"));
            JobResult c = cancelledResult();
            c.details = details;
            return c;
        }
        if (!r.ok())
            return {{r.error.code, QStringLiteral("the safety backup of \"%1\" failed, so nothing was restored: %2")
                                       .arg(o.targetDb, r.error.message)},
                    0,
                    details};
        details[QStringLiteral("safetyBackupId")] = r.recordId;
        log(QStringLiteral("safety backup #%1 taken").arg(r.recordId));
    }
    if (isCancelled())
        return cancelledResult();
    if (roles.ready()) {
        // Before the database: its objects' owners and grantees must exist when pg_restore sets them.
        if (!roles.apply(session, &err, [this](const QString &l) { log(l); }))
            return {err, 0, details};
    }
    if (o.create) {
        if (!session.createDatabase(o.targetDb))
            return {{ExitCode::PgTool,
                     QStringLiteral("cannot create database \"%1\": %2").arg(o.targetDb, session.error().message)},
                    0,
                    details};
        log(QStringLiteral("created database \"%1\"").arg(o.targetDb));
    }
    if (exists && o.terminateConnections) {
        const int n = session.terminateBackends(o.targetDb);
        log(QStringLiteral("ended %1 connection(s) to \"%2\"").arg(n).arg(o.targetDb));
    }
    // A database this run created is dropped again if the restore fails or is cancelled: it held nothing before, and
    // a half-restored copy under the requested name would look like a good one. The maintenance connection stays
    // open for that (it does not block anything on the target).
    if (!o.create)
        session.close();

    const RestoreEngine::Outcome out =
        engine.restore(m_target, m_req.password, o, [this, &lease](const JobProgress &p) {
            lease.renewIfDue(); // a restore running past the lease's expiry keeps it
            reportProgress(p);
        });
    QJsonObject r{{QStringLiteral("itemsDone"), out.itemsDone},
                  {QStringLiteral("itemsTotal"), out.itemsTotal},
                  {QStringLiteral("bytes"), out.bytes},
                  {QStringLiteral("durationMs"), out.durationMs},
                  {QStringLiteral("ignoredErrors"), out.ignoredErrors},
                  {QStringLiteral("errors"), QJsonArray::fromStringList(out.errors)},
                  {QStringLiteral("warnings"), QJsonArray::fromStringList(out.warnings)},
                  {QStringLiteral("tool"), out.command}};
    details[QStringLiteral("restore")] = r;
    progress.phase = out.error ? QStringLiteral("failed") : QStringLiteral("done");
    progress.itemsDone = out.itemsDone;
    progress.itemsTotal = out.itemsTotal;
    progress.bytes = out.bytes;
    reportProgress(progress, true);
    if (out.error) {
        details[QStringLiteral("error")] = out.error.message;
        Error e = out.error;
        if (o.create)
            e.message += dropCreatedDatabase(session, o.targetDb, &details);
        return {e, 0, details};
    }
    log(QStringLiteral("restore into \"%1\" complete: %2 item(s), %3")
            .arg(o.targetDb)
            .arg(out.itemsDone)
            .arg(QLocale::c().formattedDataSize(out.bytes)));
    if (o.checkRowCounts) {
        // Before the post-restore command, which may change data on purpose.
        RestoredTargetCheck::Request check;
        check.conninfo = m_target.toKeywordString();
        check.password = m_req.password;
        check.database = o.targetDb;
        check.source = m_req.source;
        check.manifest = engine.source().manifest();
        check.tables = o.tables;
        check.schemaOnly = o.schemaOnly;
        check.restoreDetails = details;
        check.restoreOk = true;
        const VerifyReport report = RestoredTargetCheck::run(check);
        const auto rows = std::find_if(report.checks.cbegin(), report.checks.cend(), [](const VerifyReport::Check &c) {
            return c.id == QLatin1String("row-counts");
        });
        if (rows != report.checks.cend()) {
            details[QStringLiteral("rowCounts")] =
                QJsonObject{{QStringLiteral("passed"), rows->passed},
                            {QStringLiteral("skipped"), rows->skipped},
                            {QStringLiteral("summary"), rows->summary},
                            {QStringLiteral("tables"), rows->rows},
                            {QStringLiteral("failures"), QJsonArray::fromStringList(rows->failures)}};
            log(QStringLiteral("row counts: %1").arg(rows->summary));
            if (!rows->skipped && !rows->passed) {
                const QString msg = QStringLiteral("the restore into \"%1\" completed, but its row counts differ from "
                                                   "the backup's manifest: %2 — the database is left as restored for "
                                                   "inspection; the post-restore command was not run")
                                        .arg(o.targetDb, rows->failures.join(QStringLiteral("; ")));
                details[QStringLiteral("error")] = msg;
                return {{ExitCode::Integrity, msg}, 0, details};
            }
        }
    }
    if (!runPostRestore(&details, &err))
        return {err, 0, details};
    return {{}, 0, details};
}

QString RestoreJob::dropCreatedDatabase(PgSession &session, const QString &db, QJsonObject *details) {
    session.terminateBackends(db); // parallel pg_restore workers may still be disconnecting
    const bool dropped = session.dropDatabase(db);
    (*details)[QStringLiteral("droppedCreatedDatabase")] = dropped;
    const QString note =
        dropped ? QStringLiteral("; database \"%1\" was created by this run and has been dropped again").arg(db)
                : QStringLiteral("; database \"%1\" was created by this run but could not be dropped again (%2) — it "
                                 "holds a partial restore: drop it before using it")
                      .arg(db, session.error().message);
    log(note.mid(2));
    return note;
}

} // namespace lifeboat
