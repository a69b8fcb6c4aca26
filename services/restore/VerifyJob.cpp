#include "restore/VerifyJob.h"

#include "catalog/LeaseGuard.h"
#include "core/ArtifactName.h"

#include "core/ChildEnvironment.h"

#include "pg/PgSession.h"
#include "restore/ManifestSignatureCheck.h"
#include "restore/RestoreEngine.h"
#include "restore/RestoreJob.h"
#include "restore/SandboxCluster.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace lifeboat {

namespace {
const QString kUserSchemas = QStringLiteral(
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE "
    "'pg\\_temp%'");
const QString kNotExtension =
    QStringLiteral("NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = %1 AND d.deptype = 'e')");
} // namespace

VerifyJob::VerifyJob(Request request, QObject *parent)
    : Job(parent)
    , m_req(std::move(request)) {}

VerifyJob::~VerifyJob() = default;

QString VerifyJob::title() const {
    return QStringLiteral("Verification of %1").arg(ArtifactName::sourceLabel(m_req.source));
}

JobResult VerifyJob::finish(const Error &error) {
    m_report.finished = QDateTime::currentDateTimeUtc();
    if (error)
        m_report.error = error.message;
    const bool ok = m_report.passed();
    if (m_recordId > 0 && m_req.catalog) {
        if (auto rec = m_req.catalog->get(m_recordId)) {
            rec->verifiedAt = m_report.finished;
            rec->verifyOutcome = ok ? QStringLiteral("PASSED") : QStringLiteral("FAILED");
            QString e;
            if (!m_req.catalog->update(*rec, &e))
                log(QStringLiteral("warning: catalog update failed: %1").arg(e));
        }
    }
    JobProgress p;
    p.phase = ok ? QStringLiteral("passed") : QStringLiteral("failed");
    reportProgress(p, true);
    if (ok)
        return {{}, m_recordId, m_report.toJson()};
    Error e = error;
    if (!e) {
        QStringList what;
        for (const auto &c : m_report.checks) {
            if (!c.passed && !c.skipped)
                what << QStringLiteral("%1 (%2)").arg(
                    c.title, c.failures.isEmpty() ? c.summary : c.failures.join(QStringLiteral("; ")));
        }
        e = {ExitCode::Integrity, QStringLiteral("verification failed: %1").arg(what.join(QStringLiteral(" | ")))};
    }
    return {e, m_recordId, m_report.toJson()};
}

VerifyReport::Check VerifyJob::checkRowCounts(PgSession &db, const RestoreSource &source) {
    VerifyReport::Check c;
    c.id = QStringLiteral("row-counts");
    c.title = QStringLiteral("Row counts match the manifest");
    if (!source.manifest()) {
        c.skipped = true;
        c.summary = QStringLiteral("no manifest for this backup: the expected row counts are unknown");
        return c;
    }
    int matched = 0;
    for (const auto &t : source.manifest()->tables) {
        const qint64 actual = db.exactRowCount(t.schema, t.name);
        const QString name = t.schema + QLatin1Char('.') + t.name;
        c.rows.append(QJsonObject{
            {QStringLiteral("table"), name}, {QStringLiteral("expected"), t.rows}, {QStringLiteral("actual"), actual}});
        if (actual < 0)
            c.failures << QStringLiteral("%1: missing or unreadable after restore (%2)").arg(name, db.error().message);
        else if (actual != t.rows)
            c.failures << QStringLiteral("%1: manifest says %2 rows, restored %3").arg(name).arg(t.rows).arg(actual);
        else
            ++matched;
    }
    c.passed = c.failures.isEmpty();
    c.summary = QStringLiteral("%1 of %2 tables match").arg(matched).arg(source.manifest()->tables.size());
    return c;
}

VerifyReport::Check VerifyJob::checkForeignKeys(PgSession &db) {
    VerifyReport::Check c;
    c.id = QStringLiteral("foreign-keys");
    c.title = QStringLiteral("No orphan rows behind foreign keys");
    PgSession::Rows fks;
    const QString colList =
        QStringLiteral("(SELECT json_agg(a.attname ORDER BY k.ord)::text FROM unnest(c.%1) WITH ORDINALITY "
                       "k(attnum, ord) JOIN pg_attribute a ON a.attrelid = c.%2 AND a.attnum = k.attnum)");
    if (!db.exec(
            QStringLiteral("SELECT c.conname, cn.nspname, cl.relname, fn.nspname, fl.relname, %1, %2, "
                           "GREATEST(cl.reltuples, 0)::bigint FROM pg_constraint c "
                           "JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_namespace cn ON cn.oid = cl.relnamespace "
                           "JOIN pg_class fl ON fl.oid = c.confrelid JOIN pg_namespace fn ON fn.oid = fl.relnamespace "
                           "WHERE c.contype = 'f' AND c.conparentid = 0 ORDER BY 2, 3, 1")
                .arg(colList.arg(QStringLiteral("conkey"), QStringLiteral("conrelid")),
                     colList.arg(QStringLiteral("confkey"), QStringLiteral("confrelid"))),
            {}, &fks)) {
        c.failures << db.error().message;
        c.summary = QStringLiteral("cannot list foreign keys");
        return c;
    }
    int sampled = 0;
    for (const QStringList &fk : fks) {
        const QString child = db.quoteQualified(fk.at(1), fk.at(2));
        const QString parent = db.quoteQualified(fk.at(3), fk.at(4));
        // Column names arrive as a JSON array (any character survives: \x01, quotes, backslashes, newlines) and are
        // quoted here, one by one, with PQescapeIdentifier.
        auto quotedNames = [&db](const QString &json) {
            QStringList out;
            for (const QJsonValue &v : QJsonDocument::fromJson(json.toUtf8()).array())
                out << db.quoteIdent(v.toString());
            return out;
        };
        const QStringList cols = quotedNames(fk.at(5));
        const QStringList refs = quotedNames(fk.at(6));
        const qint64 rows = db.scalar(QStringLiteral("SELECT count(*) FROM %1").arg(child)).toLongLong();
        QStringList notNull, match;
        for (int i = 0; i < cols.size() && i < refs.size(); ++i) {
            notNull << QStringLiteral("c.%1 IS NOT NULL").arg(cols.at(i));
            match << QStringLiteral("p.%1 = c.%2").arg(refs.at(i), cols.at(i));
        }
        const bool sample = rows > kFkSampleThreshold;
        const QString from = sample ? QStringLiteral("%1 TABLESAMPLE BERNOULLI (%2) c")
                                          .arg(child)
                                          .arg(100.0 * double(kFkSampleThreshold) / double(rows), 0, 'f', 4)
                                    : child + QStringLiteral(" c");
        const QString sql =
            QStringLiteral("SELECT count(*) FROM %1 WHERE %2 AND NOT EXISTS (SELECT 1 FROM %3 p WHERE %4)")
                .arg(from, notNull.join(QStringLiteral(" AND ")), parent, match.join(QStringLiteral(" AND ")));
        const QString orphans = db.scalar(sql);
        const QString name = QStringLiteral("%1.%2 %3 → %4.%5").arg(fk.at(1), fk.at(2), fk.at(0), fk.at(3), fk.at(4));
        sampled += sample ? 1 : 0;
        c.rows.append(QJsonObject{{QStringLiteral("foreign key"), name},
                                  {QStringLiteral("rows"), rows},
                                  {QStringLiteral("mode"), sample ? QStringLiteral("sampled") : QStringLiteral("full")},
                                  {QStringLiteral("orphans"), orphans.isEmpty() ? -1 : orphans.toLongLong()}});
        if (orphans.isEmpty())
            c.failures << QStringLiteral("%1: check failed: %2").arg(name, db.error().message);
        else if (orphans.toLongLong() > 0)
            c.failures << QStringLiteral("%1: %2 orphan row(s)%3")
                              .arg(name, orphans, sample ? QStringLiteral(" in a sample") : QString());
    }
    c.passed = c.failures.isEmpty();
    c.summary = QStringLiteral("%1 foreign key(s): %2 checked in full, %3 sampled (tables over %4 rows)")
                    .arg(fks.size())
                    .arg(fks.size() - sampled)
                    .arg(sampled)
                    .arg(kFkSampleThreshold);
    return c;
}

VerifyReport::Check VerifyJob::checkReadable(PgSession &db) {
    VerifyReport::Check c;
    c.id = QStringLiteral("readable");
    c.title = QStringLiteral("Every table reads back in full");
    PgSession::Rows tables;
    db.exec(QStringLiteral("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                           "WHERE c.relkind IN ('r', 'm') AND %1 AND %2 ORDER BY 1, 2")
                .arg(kUserSchemas, kNotExtension.arg(QStringLiteral("c.oid"))),
            {}, &tables);
    qint64 totalRows = 0, totalBytes = 0;
    for (const QStringList &t : tables) {
        if (isCancelled())
            break;
        // pg_column_size(t.*) forms each whole row, which fetches every out-of-line (TOAST) value.
        PgSession::Rows r;
        const QString name = t.at(0) + QLatin1Char('.') + t.at(1);
        if (!db.exec(QStringLiteral("SELECT count(*), COALESCE(sum(pg_column_size(t.*)), 0)::bigint FROM %1 AS t")
                         .arg(db.quoteQualified(t.at(0), t.at(1))),
                     {}, &r) ||
            r.isEmpty()) {
            c.failures << QStringLiteral("%1: %2").arg(name, db.error().message);
            continue;
        }
        totalRows += r.first().at(0).toLongLong();
        totalBytes += r.first().at(1).toLongLong();
    }
    c.passed = c.failures.isEmpty();
    c.summary = QStringLiteral("%1 table(s), %2 rows, %3 bytes read").arg(tables.size()).arg(totalRows).arg(totalBytes);
    return c;
}

VerifyReport::Check VerifyJob::checkObjectCounts(PgSession &db, const RestorePlan &plan) {
    VerifyReport::Check c;
    c.id = QStringLiteral("object-counts");
    c.title = QStringLiteral("Object counts equal the archive's TOC");
    const RestorePlan::Counts expected = plan.counts();
    auto relCount = [&](const QString &kinds) {
        return db
            .scalar(QStringLiteral("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                                   "c.relnamespace WHERE c.relkind IN (%1) AND %2 AND %3")
                        .arg(kinds, kUserSchemas, kNotExtension.arg(QStringLiteral("c.oid"))))
            .toInt();
    };
    const int functions =
        db.scalar(QStringLiteral("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE "
                                 "p.prokind IN ('f', 'p') AND %1 AND %2")
                      .arg(kUserSchemas, kNotExtension.arg(QStringLiteral("p.oid"))))
            .toInt();
    const int los = db.scalar(QStringLiteral("SELECT count(*) FROM pg_largeobject_metadata")).toInt();
    const QList<std::tuple<QString, int, int>> items{
        {QStringLiteral("tables"), expected.tables, relCount(QStringLiteral("'r', 'p'"))},
        {QStringLiteral("indexes"), expected.indexes, relCount(QStringLiteral("'i', 'I'"))},
        {QStringLiteral("sequences"), expected.sequences, relCount(QStringLiteral("'S'"))},
        {QStringLiteral("views"), expected.views, relCount(QStringLiteral("'v'"))},
        {QStringLiteral("materialized views"), expected.materializedViews, relCount(QStringLiteral("'m'"))},
        {QStringLiteral("functions"), expected.functions, functions},
        {QStringLiteral("large objects"), expected.largeObjects, los},
    };
    for (const auto &[what, want, got] : items) {
        c.rows.append(QJsonObject{
            {QStringLiteral("object"), what}, {QStringLiteral("archive"), want}, {QStringLiteral("restored"), got}});
        if (want != got)
            c.failures << QStringLiteral("%1: archive has %2, restored database has %3").arg(what).arg(want).arg(got);
    }
    c.passed = c.failures.isEmpty();
    c.summary = c.passed ? QStringLiteral("all %1 kinds match").arg(items.size())
                         : QStringLiteral("%1 kind(s) differ").arg(c.failures.size());
    return c;
}

JobResult VerifyJob::execute() {
    m_report.started = QDateTime::currentDateTimeUtc();
    JobProgress progress;
    progress.phase = QStringLiteral("checking");
    reportProgress(progress, true);
    Error err;
    auto src = RestoreSource::open(m_req.source, m_req.catalog.get(), m_req.storages, &err);
    if (!src)
        return {err, 0, {}};
    if (const Error e = src->requireDatabase(QStringLiteral("verify")))
        return {e, 0, {}};
    LeaseGuard lease; // not deleted while it is verified (see RestoreJob)
    const qint64 leaseId = src->isRecord() ? src->record().id : 0;
    if (const Error e = LeaseGuard::acquire(m_req.catalog.get(), leaseId, QStringLiteral("verify"), &lease))
        return {e, 0, {}};
    ChildEnvironment::registerSecret(m_req.password);
    src->setIdentities(m_req.identities);
    src->setSecretLookup([secrets = m_req.storageSecrets](const QString &storage) { return secrets.value(storage); });
    m_recordId = src->isRecord() ? src->record().id : 0;
    m_report.source = src->displayName();
    RestoreEngine engine(std::move(*src), m_req.pgToolDir, m_req.workDir, cancelFlag());
    engine.setLog([this](const QString &l) { log(l); });

    std::unique_ptr<SandboxCluster> sandbox;
    QString serverConninfo = m_req.serverConninfo;
    QString password = m_req.password;
    if (m_req.sandbox) {
        progress.phase = QStringLiteral("starting sandbox");
        reportProgress(progress, true);
        sandbox = std::make_unique<SandboxCluster>(m_req.pgToolDir, m_req.workDir);
        sandbox->setLog([this](const QString &l) { log(l); });
        if (!sandbox->start(&err))
            return {err, 0, {}};
        serverConninfo = sandbox->conninfo();
        password.clear();
    }
    const Conninfo ci = Conninfo::parse(serverConninfo, &err);
    if (!ci.isValid())
        return {err, 0, {}};
    m_report.server =
        sandbox
            ? QStringLiteral("sandbox cluster (PostgreSQL %1, removed afterwards)").arg(sandbox->version().toString())
            : ci.hostPort();
    PgSession admin;
    const QString maintenance = ci.dbname().isEmpty() ? QStringLiteral("postgres") : ci.dbname();
    if (!admin.connect(ci.withDatabase(maintenance), password))
        return finish(admin.error());

    // The same pre-flight as a restore; a refusal here means the backup cannot be verified (exit 4 for damage).
    QList<SafetyCheck> checks{engine.checkIntegrity()};
    m_report.copy = engine.source().copyDescription();
    if (!checks.last().refused()) {
        ManifestVerdict signature;
        checks << manifestSignatureCheck(engine.source(), m_req.source, m_req.catalog.get(), m_req.storages,
                                         m_req.storageSecrets, m_req.requireSigned, &signature);
        m_report.signature = signature.describe();
    }
    if (!checks.last().refused())
        checks << engine.inspectArchive();
    if (!checks.last().refused())
        checks << engine.chooseTool(admin.serverVersion());
    if (!checks.last().refused())
        checks << engine.checkReadable(engine.hasToc(), engine.hasToc(), false);
    for (const SafetyCheck &c : checks)
        log(QStringLiteral("check %1: %2 — %3").arg(SafetyCheck::outcomeName(c.outcome), c.title, c.detail));
    if (checks.last().refused()) {
        ExitCode code = ExitCode::Integrity;
        const QString msg = RestoreJob::refusalMessage(checks, &code);
        return finish({code == ExitCode::Refused ? ExitCode::Integrity : code, msg});
    }
    m_report.tool = engine.tool().path + QLatin1Char(' ') + engine.tool().version.toString();

    const QString tempDb = QStringLiteral("lifeboat_verify_%1_%2")
                               .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd_HHmmss")))
                               .arg(QRandomGenerator::global()->bounded(1000, 9999));
    m_report.database = tempDb;
    if (!admin.createDatabase(tempDb))
        return finish(
            {ExitCode::PgTool,
             QStringLiteral("cannot create the temporary database \"%1\": %2").arg(tempDb, admin.error().message)});
    log(QStringLiteral("created temporary database \"%1\"").arg(tempDb));
    // From here on the temporary database exists: every path below drops it.
    auto dropTemp = [&] {
        admin.terminateBackends(tempDb);
        if (!admin.dropDatabase(tempDb))
            log(QStringLiteral("warning: could not drop \"%1\": %2").arg(tempDb, admin.error().message));
        else
            log(QStringLiteral("dropped temporary database \"%1\"").arg(tempDb));
    };

    RestoreOptions o;
    o.targetDb = tempDb;
    o.noAcl = true;
    progress.phase = QStringLiteral("restoring");
    reportProgress(progress, true);
    QElapsedTimer t;
    t.start();
    // The server the checks reached, every parameter explicit (the child's environment may have lost PGHOST etc.).
    o.expectedServerIdentity = admin.serverIdentity();
    const RestoreEngine::Outcome out =
        engine.restore(admin.effective(), password, o, [this, &lease](const JobProgress &p) {
            lease.renewIfDue(); // a verify running past the lease's expiry keeps it
            reportProgress(p);
        });
    VerifyReport::Check restoreCheck;
    restoreCheck.id = QStringLiteral("restore");
    restoreCheck.title = QStringLiteral("Backup restores without errors");
    restoreCheck.durationMs = t.elapsed();
    restoreCheck.passed = !out.error;
    restoreCheck.summary = QStringLiteral("%1 of %2 items, %3 error(s)")
                               .arg(out.itemsDone)
                               .arg(out.itemsTotal)
                               .arg(qMax<qsizetype>(out.ignoredErrors, out.errors.size()));
    restoreCheck.failures = out.errors;
    if (out.error && out.errors.isEmpty())
        restoreCheck.failures << out.error.message;
    m_report.checks << restoreCheck;
    if (out.error.code == ExitCode::Cancelled) {
        dropTemp();
        return {{ExitCode::Cancelled, QStringLiteral("cancelled")}, 0, {}};
    }

    PgSession db;
    if (!db.connect(admin.effective().withDatabase(tempDb), password)) {
        dropTemp();
        return finish(db.error());
    }
    progress.phase = QStringLiteral("checking");
    reportProgress(progress, true);
    auto timed = [&](auto fn) {
        QElapsedTimer c;
        c.start();
        VerifyReport::Check check = fn();
        check.durationMs = c.elapsed();
        log(QStringLiteral("%1: %2 — %3")
                .arg(check.title,
                     check.skipped  ? QStringLiteral("skipped")
                     : check.passed ? QStringLiteral("passed")
                                    : QStringLiteral("FAILED"),
                     check.summary));
        for (const QString &f : check.failures)
            log(QStringLiteral("  ") + f);
        m_report.checks << check;
    };
    timed([&] { return checkRowCounts(db, engine.source()); });
    timed([&] { return checkForeignKeys(db); });
    timed([&] { return checkReadable(db); });
    if (engine.hasToc())
        timed([&] { return checkObjectCounts(db, engine.plan()); });
    db.close();
    dropTemp();
    if (isCancelled())
        return cancelledResult();
    return finish({});
}

} // namespace lifeboat
