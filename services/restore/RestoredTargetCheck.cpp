#include "restore/RestoredTargetCheck.h"

#include "pg/Conninfo.h"
#include "pg/PgSession.h"
#include "restore/RestorePlan.h"

#include <QElapsedTimer>
#include <QJsonArray>

namespace lifeboat {

namespace {
bool selected(const QStringList &tables, const Manifest::Table &t) {
    if (tables.isEmpty())
        return true;
    const QString qualified = t.schema + QLatin1Char('.') + t.name;
    for (const QString &name : tables) {
        const auto [schema, table] = RestorePlan::splitName(name);
        if (schema.isEmpty() ? table == t.name : (schema == t.schema && table == t.name))
            return true;
        if (name == qualified)
            return true;
    }
    return false;
}
} // namespace

VerifyReport RestoredTargetCheck::run(const Request &req) {
    VerifyReport rep;
    rep.source = req.source;
    rep.database = req.database;
    rep.kind = VerifyReport::Kind::Restore;
    rep.started = req.restoreStarted.isValid() ? req.restoreStarted.toUTC() : QDateTime::currentDateTimeUtc();
    Error err;
    const Conninfo ci = Conninfo::parse(req.conninfo, &err);
    rep.server = ci.isValid() ? ci.hostPort() : req.conninfo;

    // The checks the restore passed first, as the run decided them.
    const QJsonArray checks = req.restoreDetails.value(QStringLiteral("checks")).toArray();
    if (!checks.isEmpty()) {
        VerifyReport::Check safety;
        safety.id = QStringLiteral("safety-checks");
        safety.title = QStringLiteral("Safety checks before the restore");
        int passed = 0, warnings = 0;
        for (const QJsonValue &v : checks) {
            const QJsonObject c = v.toObject();
            const QString outcome = c.value(QStringLiteral("outcome")).toString();
            safety.rows.append(c);
            if (outcome == QLatin1String("refused"))
                safety.failures << QStringLiteral("%1: %2").arg(c.value(QStringLiteral("title")).toString(),
                                                                c.value(QStringLiteral("detail")).toString());
            else if (outcome == QLatin1String("warning"))
                ++warnings;
            else if (outcome == QLatin1String("passed"))
                ++passed;
        }
        safety.passed = safety.failures.isEmpty();
        safety.summary = QStringLiteral("%1 passed, %2 warning(s), %3 refused")
                             .arg(passed)
                             .arg(warnings)
                             .arg(safety.failures.size());
        rep.checks << safety;
    }

    const QJsonObject r = req.restoreDetails.value(QStringLiteral("restore")).toObject();
    rep.tool = r.value(QStringLiteral("tool")).toString();
    VerifyReport::Check restore;
    restore.id = QStringLiteral("restore");
    restore.title = QStringLiteral("Restore completed");
    restore.passed = req.restoreOk;
    restore.durationMs = r.value(QStringLiteral("durationMs")).toInteger();
    restore.summary = req.restoreOk ? QStringLiteral("%1 of %2 item(s) restored into \"%3\"")
                                          .arg(r.value(QStringLiteral("itemsDone")).toInt())
                                          .arg(r.value(QStringLiteral("itemsTotal")).toInt())
                                          .arg(req.database)
                                    : req.restoreError;
    for (const QJsonValue &e : r.value(QStringLiteral("errors")).toArray())
        restore.failures << e.toString();
    rep.checks << restore;

    VerifyReport::Check rows;
    rows.id = QStringLiteral("row-counts");
    rows.title = QStringLiteral("Row counts match the manifest");
    QElapsedTimer clock;
    clock.start();
    if (!req.restoreOk) {
        rows.skipped = true;
        rows.summary = QStringLiteral("not checked: the restore did not complete");
    } else if (!req.manifest) {
        rows.skipped = true;
        rows.summary = QStringLiteral("no manifest for this backup: the expected row counts are unknown");
    } else {
        PgSession db;
        if (!db.connect(ci.withDatabase(req.database), req.password)) {
            rows.failures << db.error().message;
            rows.summary = QStringLiteral("cannot connect to the restored database");
        } else {
            int matched = 0, checked = 0;
            for (const auto &t : req.manifest->tables) {
                if (!selected(req.tables, t))
                    continue;
                ++checked;
                const qint64 expected = req.schemaOnly ? 0 : t.rows;
                const qint64 actual = db.exactRowCount(t.schema, t.name);
                const QString name = t.schema + QLatin1Char('.') + t.name;
                rows.rows.append(QJsonObject{{QStringLiteral("table"), name},
                                             {QStringLiteral("expected"), expected},
                                             {QStringLiteral("actual"), actual}});
                if (actual < 0)
                    rows.failures
                        << QStringLiteral("%1: missing or unreadable after restore (%2)").arg(name, db.error().message);
                else if (actual != expected)
                    rows.failures << QStringLiteral("%1: expected %2 rows, the target has %3")
                                         .arg(name)
                                         .arg(expected)
                                         .arg(actual);
                else
                    ++matched;
            }
            rows.summary = QStringLiteral("%1 of %2 tables match%3")
                               .arg(matched)
                               .arg(checked)
                               .arg(req.schemaOnly ? QStringLiteral(" (schema only: no rows expected)") : QString());
        }
        rows.passed = rows.failures.isEmpty();
    }
    rows.durationMs = clock.elapsed();
    rep.checks << rows;
    rep.finished = req.restoreStarted.isValid() && req.restoreFinished.isValid()
                       ? req.restoreFinished.toUTC().addMSecs(rows.durationMs)
                       : QDateTime::currentDateTimeUtc();
    return rep;
}

} // namespace lifeboat
