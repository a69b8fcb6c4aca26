#include "CheckCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"

#include "catalog/Catalog.h"
#include "catalog/RecordJson.h"
#include "ops/HealthCheck.h"
#include "ops/PrometheusTextfile.h"
#include "ops/WalCapture.h"
#include "retention/RetentionPolicy.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace lifeboat;

namespace {

QList<HealthCheck::Source> sourcesOf(CliContext &ctx) {
    QList<HealthCheck::Source> all;
    for (const Profile &p : ctx.config().profiles())
        all.append({p.name, QStringLiteral("database")});
    for (const FileSourceConfig &f : ctx.config().fileSources())
        all.append({f.name, QStringLiteral("files")});
    for (const RedisSourceConfig &r : ctx.config().redisSources())
        all.append({r.name, QStringLiteral("redis")});
    return all;
}

QJsonObject toJson(const SourceHealth &h) {
    QJsonObject o{{QStringLiteral("source"), h.source},
                  {QStringLiteral("kind"), h.kind},
                  {QStringLiteral("state"), SourceHealth::stateName(h.state)},
                  {QStringLiteral("status"), int(h.state)},
                  {QStringLiteral("monitored"), h.monitored},
                  {QStringLiteral("ageSeconds"), h.ageSeconds},
                  {QStringLiteral("failuresSinceGood"), h.failuresSinceGood},
                  {QStringLiteral("warningSeconds"), h.warningSeconds},
                  {QStringLiteral("criticalSeconds"), h.criticalSeconds},
                  {QStringLiteral("thresholdOrigin"), h.thresholdOrigin},
                  {QStringLiteral("schedules"), QJsonArray::fromStringList(h.schedules)},
                  {QStringLiteral("pausedSchedules"), QJsonArray::fromStringList(h.pausedSchedules)},
                  {QStringLiteral("reasons"), QJsonArray::fromStringList(h.reasons)}};
    if (h.periodSeconds > 0)
        o.insert(QStringLiteral("periodSeconds"), h.periodSeconds);
    if (h.newestGood)
        o.insert(QStringLiteral("newestGood"), RecordJson::toJson(*h.newestGood));
    if (h.continuous)
        o.insert(QStringLiteral("capture"), QJsonObject{{QStringLiteral("lagSeconds"), h.captureLagSeconds},
                                                        {QStringLiteral("lagLimitSeconds"), h.captureLagLimitSeconds},
                                                        {QStringLiteral("lagging"), h.captureLagging},
                                                        {QStringLiteral("missingSegments"), h.walMissingSegments}});
    if (h.lastVerifiedAt.isValid()) {
        o.insert(QStringLiteral("lastVerifiedAt"), h.lastVerifiedAt.toUTC().toString(Qt::ISODate));
        o.insert(QStringLiteral("lastVerifyOutcome"), h.lastVerifyOutcome);
        o.insert(QStringLiteral("lastVerifiedBackupId"), h.lastVerifiedBackupId);
    }
    return o;
}

} // namespace

static int run(CliContext &ctx, const ArgParser &p) {

    HealthCheck::Options options;
    for (const QString &opt : {QStringLiteral("warning"), QStringLiteral("critical")}) {
        if (!p.isSet(opt))
            continue;
        qint64 seconds = 0;
        if (!RetentionPolicy::parseDuration(p.value(opt), &seconds) || seconds <= 0)
            return ctx.usage(QStringLiteral("--%1: \"%2\" is not a duration (e.g. 36h, 2d)").arg(opt, p.value(opt)));
        (opt == QLatin1String("warning") ? options.warningSeconds : options.criticalSeconds) = seconds;
    }
    if (options.warningSeconds > 0 && options.criticalSeconds > 0 && options.criticalSeconds < options.warningSeconds)
        return ctx.usage(QStringLiteral("--critical must not be shorter than --warning"));
    QDateTime now;
    if (auto rc = p.asOf(ctx, &now))
        return *rc;

    QList<HealthCheck::Source> sources = sourcesOf(ctx);
    const QStringList named = p.values(QStringLiteral("profile"));
    if (!named.isEmpty()) {
        QList<HealthCheck::Source> chosen;
        for (const QString &name : named) {
            bool found = false;
            for (HealthCheck::Source s : sources) {
                if (s.name == name) {
                    s.named = true;
                    chosen << s;
                    found = true;
                }
            }
            if (!found)
                return ctx.usage(QStringLiteral("no profile, files or Redis source named \"%1\"").arg(name));
        }
        sources = chosen;
    }

    QList<SourceHealth> health =
        HealthCheck::evaluate(ctx.catalog().get(), sources, ctx.catalog()->schedules(), now, options);
    // Continuous capture: the same figures run-due alerts on (the server asked with the stored password, if any).
    QList<Profile> checked;
    for (const SourceHealth &h : std::as_const(health))
        if (h.kind == QLatin1String("database"))
            if (const auto profile = ctx.config().profile(h.source))
                checked << *profile;
    CliSecrets secrets(ctx);
    for (const WalCapture::Health &w :
         WalCapture::evaluateAll(ctx.catalog().get(), checked, ctx.home(), now,
                                 [&](const QString &profile) { return secrets.profilePassword(profile, false, {}); }))
        for (SourceHealth &h : health)
            if (h.kind == QLatin1String("database") && h.source == w.profile)
                WalCapture::applyTo(&h, w);
    int worst = -1;
    for (const SourceHealth &h : health) {
        if (h.monitored)
            worst = std::max(worst, int(h.state));
    }
    if (p.isSet(QStringLiteral("prometheus"))) {
        QString err;
        if (!PrometheusTextfile::write(p.value(QStringLiteral("prometheus")), health, now, &err)) {
            ctx.err() << "lifeboatctl: check: " << err << Qt::endl;
            return 3;
        }
    }
    if (ctx.json()) {
        QJsonArray arr;
        for (const SourceHealth &h : health)
            arr.append(toJson(h));
        ctx.printJson(
            QJsonObject{{QStringLiteral("status"), worst < 0 ? 3 : worst},
                        {QStringLiteral("state"), SourceHealth::stateName(SourceHealth::State(worst < 0 ? 3 : worst))},
                        {QStringLiteral("sources"), arr}});
    } else {
        if (worst < 0)
            ctx.out() << "UNKNOWN nothing to check: no source has a schedule or a backup (name one with --profile)"
                      << Qt::endl;
        for (const SourceHealth &h : health)
            ctx.out() << HealthCheck::summaryLine(h, now) << Qt::endl;
    }
    return worst < 0 ? 3 : worst;
}

QList<CliCommand> CheckCommand::commands() {
    return {{QStringLiteral("check"),
             {},
             QStringLiteral("[--profile NAME]... [--warning DURATION] [--critical DURATION] "
                            "[--prometheus FILE] [--as-of TIME]"),
             0,
             0,
             &run,
             cliOptions(R"(
--profile NAME  Check only this source (profile, files or Redis source; repeatable). A source named here is checked
    even without a schedule.
--warning DURATION  WARNING when the newest good backup is older than this (e.g. 26h, 2d). Default: the schedule's
    period plus a grace of one period or 1h, whichever is longer; 26h without a schedule.
--critical DURATION  CRITICAL when older than this. Default: twice the warning age; 50h without a schedule.
--prometheus FILE  Also write the figures as a node-exporter textfile (atomically replaced), e.g.
    /var/lib/prometheus/node-exporter/lifeboat.prom.
--as-of TIME  Judge as if it were this time (ISO 8601; for tests).)")}};
}
