#include "restore/VerifyReport.h"

#include <QJsonDocument>

namespace lifeboat {

bool VerifyReport::passed() const {
    if (!error.isEmpty() || checks.isEmpty())
        return false;
    for (const Check &c : checks) {
        if (!c.passed && !c.skipped)
            return false;
    }
    return true;
}

QStringList VerifyReport::failedCheckTitles() const {
    QStringList out;
    for (const Check &c : checks) {
        if (!c.passed && !c.skipped)
            out << c.title;
    }
    return out;
}

QJsonObject VerifyReport::toJson() const {
    QJsonArray cs;
    for (const Check &c : checks) {
        cs.append(QJsonObject{{QStringLiteral("id"), c.id},
                              {QStringLiteral("title"), c.title},
                              {QStringLiteral("outcome"), c.skipped  ? QStringLiteral("skipped")
                                                          : c.passed ? QStringLiteral("passed")
                                                                     : QStringLiteral("failed")},
                              {QStringLiteral("summary"), c.summary},
                              {QStringLiteral("failures"), QJsonArray::fromStringList(c.failures)},
                              {QStringLiteral("items"), c.rows},
                              {QStringLiteral("durationMs"), c.durationMs}});
    }
    QJsonObject o{
        {QStringLiteral("passed"), passed()},
        {QStringLiteral("kind"), kind == Kind::Restore ? QStringLiteral("restore") : QStringLiteral("verification")},
        {QStringLiteral("source"), source},
        {QStringLiteral("copy"), copy},
        {QStringLiteral("manifestSignature"), signature},
        {QStringLiteral("server"), server},
        {QStringLiteral("database"), database},
        {QStringLiteral("tool"), tool},
        {QStringLiteral("started"), started.toString(Qt::ISODateWithMs)},
        {QStringLiteral("finished"), finished.toString(Qt::ISODateWithMs)},
        {QStringLiteral("durationMs"), started.msecsTo(finished)},
        {QStringLiteral("checks"), cs}};
    if (!error.isEmpty())
        o[QStringLiteral("error")] = error;
    return o;
}

VerifyReport VerifyReport::fromJson(const QJsonObject &o) {
    VerifyReport r;
    r.source = o.value(QStringLiteral("source")).toString();
    r.copy = o.value(QStringLiteral("copy")).toString();
    r.signature = o.value(QStringLiteral("manifestSignature")).toString();
    r.server = o.value(QStringLiteral("server")).toString();
    r.database = o.value(QStringLiteral("database")).toString();
    r.kind =
        o.value(QStringLiteral("kind")).toString() == QLatin1String("restore") ? Kind::Restore : Kind::Verification;
    r.tool = o.value(QStringLiteral("tool")).toString();
    r.started = QDateTime::fromString(o.value(QStringLiteral("started")).toString(), Qt::ISODateWithMs);
    r.finished = QDateTime::fromString(o.value(QStringLiteral("finished")).toString(), Qt::ISODateWithMs);
    r.error = o.value(QStringLiteral("error")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("checks")).toArray()) {
        const QJsonObject j = v.toObject();
        Check c;
        c.id = j.value(QStringLiteral("id")).toString();
        c.title = j.value(QStringLiteral("title")).toString();
        const QString outcome = j.value(QStringLiteral("outcome")).toString();
        c.passed = outcome == QLatin1String("passed");
        c.skipped = outcome == QLatin1String("skipped");
        c.summary = j.value(QStringLiteral("summary")).toString();
        for (const QJsonValue &f : j.value(QStringLiteral("failures")).toArray())
            c.failures << f.toString();
        c.rows = j.value(QStringLiteral("items")).toArray();
        c.durationMs = j.value(QStringLiteral("durationMs")).toInteger();
        r.checks << c;
    }
    return r;
}

QString VerifyReport::toHtml() const {
    auto esc = [](const QString &s) { return s.toHtmlEscaped(); };
    const bool restore = kind == Kind::Restore;
    const QString title = restore ? QStringLiteral("Restore report") : QStringLiteral("Verification report");
    QString h;
    h += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                        "<title>Lifeboat %1</title><style>"
                        "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
                        "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;"
                        "padding:.3em .6em;text-align:left}th{background:#f4f4f4}"
                        ".pass{color:#0a6b2d;font-weight:bold}.fail{color:#b00020;font-weight:bold}"
                        ".skip{color:#777}.banner{padding:.8em 1em;border-radius:6px;font-size:1.2em}"
                        ".banner.pass{background:#e6f4ea}.banner.fail{background:#fde7ea}"
                        "</style></head><body>\n")
             .arg(title.toLower());
    const QString good = restore ? QStringLiteral("PASSED — the restore completed and the checks below passed")
                                 : QStringLiteral("PASSED — the backup restores and checks out");
    h += QStringLiteral("<h1>%1</h1>\n<p class=\"banner %2\">%3</p>\n")
             .arg(title, passed() ? QStringLiteral("pass") : QStringLiteral("fail"),
                  passed() ? good
                           : QStringLiteral("FAILED — ") +
                                 esc(error.isEmpty() ? failedCheckTitles().join(QStringLiteral(", ")) : error));
    QStringList skipped;
    for (const Check &c : checks) {
        if (c.skipped)
            skipped << c.title;
    }
    if (passed() && !skipped.isEmpty())
        h += QStringLiteral("<p>Not checked: %1.</p>\n").arg(esc(skipped.join(QStringLiteral(", "))));
    bool restored = true;
    for (const Check &c : checks) {
        if (c.id == QLatin1String("restore") && !c.passed)
            restored = false;
    }
    const QString fate = !restore   ? QStringLiteral(" (dropped)")
                         : restored ? QStringLiteral(" (kept)")
                                    : QStringLiteral(" (the restore did not complete)");
    h += QStringLiteral("<table><tr><th>Backup</th><td>%1</td></tr><tr><th>Server</th><td>%2</td></tr>"
                        "<tr><th>%3</th><td>%4</td></tr><tr><th>Tool</th><td>%5</td></tr>"
                        "<tr><th>Started</th><td>%6</td></tr><tr><th>Duration</th><td>%7</td></tr></table>\n")
             .arg(esc(source), esc(server),
                  restore ? QStringLiteral("Restored database") : QStringLiteral("Temporary database"),
                  esc(database) + fate, esc(tool), esc(started.toString(Qt::ISODate)),
                  esc(humanDuration(started.msecsTo(finished))));
    if (!copy.isEmpty())
        h += QStringLiteral("<p>%1</p>\n").arg(esc(copy));
    if (!signature.isEmpty())
        h += QStringLiteral("<p>Manifest: %1</p>\n").arg(esc(signature));
    h += QStringLiteral("<h2>Checks</h2>\n<table><tr><th>Check</th><th>Outcome</th><th>Result</th>"
                        "<th>Duration</th></tr>\n");
    for (const Check &c : checks) {
        const QString cls = c.skipped  ? QStringLiteral("skip")
                            : c.passed ? QStringLiteral("pass")
                                       : QStringLiteral("fail");
        const QString word = c.skipped  ? QStringLiteral("skipped")
                             : c.passed ? QStringLiteral("passed")
                                        : QStringLiteral("FAILED");
        QString result = esc(c.summary);
        for (const QString &f : c.failures)
            result += QStringLiteral("<br><span class=\"fail\">%1</span>").arg(esc(f));
        h += QStringLiteral("<tr><td>%1</td><td class=\"%2\">%3</td><td>%4</td><td>%5</td></tr>\n")
                 .arg(esc(c.title), cls, word, result, esc(humanDuration(c.durationMs)));
    }
    h += QStringLiteral("</table>\n");
    for (const Check &c : checks) {
        if (c.rows.isEmpty())
            continue;
        h += QStringLiteral("<h3>%1</h3>\n<table>").arg(esc(c.title));
        // The item's name first (JSON keys come sorted), then its numbers.
        QStringList keys = c.rows.first().toObject().keys();
        for (const QString &name : {QStringLiteral("table"), QStringLiteral("foreign key"), QStringLiteral("object"),
                                    QStringLiteral("title")}) {
            if (keys.removeOne(name))
                keys.prepend(name);
        }
        h += QStringLiteral("<tr>");
        for (const QString &k : keys)
            h += QStringLiteral("<th>%1</th>").arg(esc(k));
        h += QStringLiteral("</tr>\n");
        for (const QJsonValue &v : c.rows) {
            const QJsonObject r = v.toObject();
            h += QStringLiteral("<tr>");
            for (const QString &k : keys) {
                const QJsonValue x = r.value(k);
                const QString text = x.isString() ? x.toString()
                                     : x.isBool() ? (x.toBool() ? QStringLiteral("yes") : QStringLiteral("no"))
                                                  : QString::number(x.toDouble(), 'f', 0);
                h += QStringLiteral("<td>%1</td>").arg(esc(text));
            }
            h += QStringLiteral("</tr>\n");
        }
        h += QStringLiteral("</table>\n");
    }
    h += QStringLiteral("</body></html>\n");
    return h;
}

QString VerifyReport::humanDuration(qint64 ms) {
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(qMax<qint64>(ms, 0));
    if (ms < 60 * 1000)
        return QStringLiteral("%1 s").arg(QString::number(ms / 1000.0, 'f', 1));
    const qint64 s = (ms + 500) / 1000;
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

} // namespace lifeboat
