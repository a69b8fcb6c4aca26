#include "AuditCommand.h"

#include "ArgParser.h"
#include "CliAutomation.h"
#include "CliContext.h"

#include "catalog/AuditEntry.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTimeZone>

using namespace lifeboat;

static int run(CliContext &ctx, const ArgParser &p) {
    AuditFilter f;
    if (p.isSet(QStringLiteral("since"))) {
        QString text = p.value(QStringLiteral("since"));
        f.since = CliAutomation::parseTime(text);
        if (!f.since.isValid() && QDate::fromString(text, Qt::ISODate).isValid())
            f.since = QDate::fromString(text, Qt::ISODate).startOfDay(QTimeZone::utc());
        if (!f.since.isValid())
            return ctx.usage(QStringLiteral("--since: \"%1\" is not an ISO date or time (e.g. 2026-12-01 or "
                                            "2026-12-01T08:00:00Z)")
                                 .arg(text));
    }
    f.user = p.value(QStringLiteral("user"));
    f.action = p.value(QStringLiteral("action"));
    f.limit = 1000;
    if (p.isSet(QStringLiteral("limit"))) {
        bool ok = false;
        const int n = p.value(QStringLiteral("limit")).toInt(&ok);
        if (!ok || n < 0)
            return ctx.usage(QStringLiteral("--limit takes a number (0: all)"));
        f.limit = n == 0 ? -1 : n;
    }
    const QList<AuditEntry> rows = ctx.catalog()->auditEntries(f);
    if (ctx.json()) {
        QJsonArray arr;
        for (const AuditEntry &e : rows)
            arr.append(QJsonObject{{QStringLiteral("id"), e.id},
                                   {QStringLiteral("time"), e.at.toString(Qt::ISODateWithMs)},
                                   {QStringLiteral("user"), e.osUser},
                                   {QStringLiteral("host"), e.host},
                                   {QStringLiteral("program"), e.program},
                                   {QStringLiteral("action"), e.action},
                                   {QStringLiteral("target"), e.target},
                                   {QStringLiteral("outcome"), e.outcome},
                                   {QStringLiteral("backupId"), e.backupId},
                                   {QStringLiteral("detail"), e.detail}});
        ctx.printJson(arr);
        return 0;
    }
    if (rows.isEmpty())
        ctx.err() << "No audit entries match." << Qt::endl;
    for (const AuditEntry &e : rows) {
        ctx.out() << QStringLiteral("%1  %2@%3 (%4)  %5  %6  %7%8%9")
                         .arg(e.at.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss'Z'")), e.osUser, e.host, e.program,
                              e.action.leftJustified(15), e.target, e.outcome,
                              e.backupId > 0 ? QStringLiteral("  #%1").arg(e.backupId) : QString(),
                              e.detail.isEmpty() ? QString() : QStringLiteral("  — ") + e.detail)
                  << Qt::endl;
    }
    return 0;
}

QList<CliCommand> AuditCommand::commands() {
    return {{QStringLiteral("audit"),
             {},
             QStringLiteral("[--since D] [--user U] [--action A] [--limit N]"),
             0,
             0,
             &run,
             cliOptions(R"(
--since D  At or after this time (ISO date or time, UTC).
--user U  Only actions of this operating-system user.
--action A  Only this action: backup, restore, recover, verify, download, presign, delete, prune, or a change such
    as profile (profile.add|change|remove), storage, schedule, notifier, settings.
--limit N  At most N rows (default 1000; 0: all).)")}};
}
