#include "ListCommand.h"

#include "ArgParser.h"
#include "CliContext.h"

#include "catalog/RecordJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QTimeZone>

using namespace lifeboat;

namespace {
QDateTime parseTime(const QString &s) {
    QDateTime t = QDateTime::fromString(s, Qt::ISODate);
    if (!t.isValid()) {
        const QDate d = QDate::fromString(s, Qt::ISODate);
        if (d.isValid())
            t = d.startOfDay(QTimeZone::utc());
    }
    return t;
}
} // namespace

static int list(CliContext &ctx, const ArgParser &p) {
    CatalogFilter f;
    f.profile = p.value(QStringLiteral("profile"));
    f.status = p.value(QStringLiteral("status")).toUpper();
    f.type = p.value(QStringLiteral("type")).toUpper();
    for (const QString &opt : {QStringLiteral("since"), QStringLiteral("until")}) {
        if (!p.isSet(opt))
            continue;
        const QDateTime t = parseTime(p.value(opt));
        if (!t.isValid())
            return ctx.usage(QStringLiteral("--%1: \"%2\" is not an ISO date or time").arg(opt, p.value(opt)));
        (opt == QLatin1String("since") ? f.since : f.until) = t;
    }
    if (p.isSet(QStringLiteral("limit")))
        f.limit = p.value(QStringLiteral("limit")).toInt();
    const QList<BackupRecord> records = ctx.catalog()->list(f);
    if (ctx.json()) {
        QJsonArray arr;
        for (const auto &r : records)
            arr.append(RecordJson::toJson(r));
        ctx.printJson(arr);
        return 0;
    }
    const QLocale loc;
    ctx.out() << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                     .arg(QStringLiteral("ID"), 5)
                     .arg(QStringLiteral("STARTED (UTC)"), -19)
                     .arg(QStringLiteral("PROFILE"), -14)
                     .arg(QStringLiteral("TYPE"), -13)
                     .arg(QStringLiteral("STATUS"), -11)
                     .arg(QStringLiteral("SIZE"), 10)
                     .arg(QStringLiteral("FILE"));
    for (const auto &r : records) {
        ctx.out() << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                         .arg(r.id, 5)
                         .arg(r.started.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), -19)
                         .arg(r.profile, -14)
                         .arg(r.type, -13)
                         .arg(r.status, -11)
                         .arg(loc.formattedDataSize(r.size), 10)
                         .arg(r.filename);
    }
    ctx.out().flush();
    return 0;
}

static int show(CliContext &ctx, const ArgParser &p) {
    bool ok = false;
    const qint64 id = p.positional().first().toLongLong(&ok);
    const auto r = ok ? ctx.catalog()->get(id) : std::nullopt;
    if (!r)
        return ctx.usage(
            QStringLiteral("no backup with id \"%1\" (see `lifeboatctl list`)").arg(p.positional().first()));
    const QJsonObject o = RecordJson::toJson(*r);
    if (ctx.json()) {
        ctx.printJson(o);
        return 0;
    }
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() == QLatin1String("locations"))
            continue;
        const QJsonValue v = it.value();
        const QString text = v.isArray() ? QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact))
                                         : v.toVariant().toString();
        ctx.out() << QStringLiteral("%1: %2\n").arg(it.key(), -14).arg(text);
    }
    for (const auto &l : r->locations)
        ctx.out() << QStringLiteral("%1: %2 (%3)\n").arg(QStringLiteral("location"), -14).arg(l.path, l.storage);
    ctx.out().flush();
    return 0;
}

QList<CliCommand> ListCommand::commands() {
    return {{QStringLiteral("list"),
             {},
             QStringLiteral("[--profile P] [--status S] [--type T] [--since D] [--until D] [--limit N]"),
             0,
             0,
             &list,
             cliOptions(R"(
--profile P  Only this profile.
--status S  IN_PROGRESS, COMPLETED, FAILED, CANCELLED, EXPIRED or DELETED.
--type T  DAILY, WEEKLY, MONTHLY or MANUAL.
--since D  Started at or after (ISO date or time, UTC).
--until D  Started before (ISO date or time, UTC).
--limit N  At most N records (newest first).)")},
            {QStringLiteral("show"), {}, QStringLiteral("ID"), 1, 1, &show}};
}
