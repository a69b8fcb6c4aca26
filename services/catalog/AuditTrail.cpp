#include "catalog/AuditTrail.h"

#include "catalog/Catalog.h"

#include <QJsonArray>
#include <QMutex>
#include <QSet>
#include <QSysInfo>
#include <QThreadPool>

#include <cstdio>
#include <pwd.h>
#include <unistd.h>

namespace lifeboat {

namespace {
struct Sink {
    QMutex mutex;
    std::shared_ptr<Catalog> catalog;
    QString program;
    bool background = false;
    QThreadPool pool; // one thread: rows keep their order
};

Sink &sink() {
    static Sink s;
    return s;
}

void write(const std::shared_ptr<Catalog> &catalog, const AuditEntry &e) {
    QString err;
    if (!catalog->appendAudit(e, &err))
        std::fprintf(stderr, "lifeboat: audit trail: %s\n", qPrintable(err));
}

// Options that are machine state written by the runners, not a person's change.
const QSet<QString> &stateOptions() {
    static const QSet<QString> s{QStringLiteral("missedBackupAlerts"), QStringLiteral("storageLowAlerts")};
    return s;
}
} // namespace

void AuditTrail::install(std::shared_ptr<Catalog> catalog, const QString &program, bool background) {
    Sink &s = sink();
    QMutexLocker lock(&s.mutex);
    s.catalog = std::move(catalog);
    s.program = program;
    s.background = background;
    s.pool.setMaxThreadCount(1);
    s.pool.setExpiryTimeout(-1); // one long-lived thread: one catalog connection
}

void AuditTrail::uninstall() {
    flush();
    Sink &s = sink();
    QMutexLocker lock(&s.mutex);
    s.catalog.reset();
}

bool AuditTrail::active() {
    Sink &s = sink();
    QMutexLocker lock(&s.mutex);
    return s.catalog != nullptr;
}

void AuditTrail::flush() {
    sink().pool.waitForDone();
}

QString AuditTrail::osUser() {
    if (const passwd *pw = getpwuid(geteuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return QStringLiteral("uid %1").arg(geteuid());
}

void AuditTrail::record(const QString &action, const QString &target, const QString &outcome, qint64 backupId,
                        const QString &detail) {
    Sink &s = sink();
    std::shared_ptr<Catalog> catalog;
    AuditEntry e;
    bool background = false;
    {
        QMutexLocker lock(&s.mutex);
        if (!s.catalog)
            return;
        catalog = s.catalog;
        e.program = s.program;
        background = s.background;
    }
    e.at = QDateTime::currentDateTimeUtc();
    static const QString user = osUser();
    static const QString host = QSysInfo::machineHostName();
    e.osUser = user;
    e.host = host;
    e.action = action;
    e.target = target;
    e.outcome = outcome;
    e.backupId = backupId;
    e.detail = detail;
    if (background)
        s.pool.start([catalog, e] { write(catalog, e); });
    else
        write(catalog, e);
}

void AuditTrail::recordConfigChanges(const QJsonObject &before, const QJsonObject &after) {
    if (!active())
        return;
    const std::pair<const char *, const char *> sections[] = {{"profiles", "profile"},  {"storages", "storage"},
                                                              {"fileSources", "files"}, {"redisSources", "redis"},
                                                              {"mirrors", "mirror"},    {"sets", "set"}};
    auto byName = [](const QJsonValue &v) {
        QHash<QString, QJsonObject> out;
        for (const QJsonValue &item : v.toArray())
            out.insert(item.toObject().value(QStringLiteral("name")).toString(), item.toObject());
        return out;
    };
    for (const auto &[key, what] : sections) {
        const QString section = QLatin1String(key);
        const auto old = byName(before.value(section));
        const auto now = byName(after.value(section));
        for (auto it = now.cbegin(); it != now.cend(); ++it) {
            if (!old.contains(it.key())) {
                record(QLatin1String(what) + QStringLiteral(".add"), it.key(), QStringLiteral("ok"));
                continue;
            }
            const QJsonObject &was = old.value(it.key());
            if (was == it.value())
                continue;
            QStringList fields; // names only: a value could be sensitive (a conninfo's host, a bucket)
            for (auto f = it.value().constBegin(); f != it.value().constEnd(); ++f)
                if (was.value(f.key()) != f.value())
                    fields << f.key();
            for (auto f = was.constBegin(); f != was.constEnd(); ++f)
                if (!it.value().contains(f.key()))
                    fields << f.key();
            record(QLatin1String(what) + QStringLiteral(".change"), it.key(), QStringLiteral("ok"), 0,
                   QStringLiteral("changed: %1").arg(fields.join(QStringLiteral(", "))));
        }
        for (auto it = old.cbegin(); it != old.cend(); ++it)
            if (!now.contains(it.key()))
                record(QLatin1String(what) + QStringLiteral(".remove"), it.key(), QStringLiteral("ok"));
    }
    const QJsonObject oldOptions = before.value(QStringLiteral("options")).toObject();
    const QJsonObject newOptions = after.value(QStringLiteral("options")).toObject();
    QStringList changed;
    for (auto it = newOptions.constBegin(); it != newOptions.constEnd(); ++it)
        if (oldOptions.value(it.key()) != it.value() && !stateOptions().contains(it.key()))
            changed << it.key();
    for (auto it = oldOptions.constBegin(); it != oldOptions.constEnd(); ++it)
        if (!newOptions.contains(it.key()) && !stateOptions().contains(it.key()))
            changed << it.key();
    if (!changed.isEmpty())
        record(QStringLiteral("settings.change"), QStringLiteral("settings"), QStringLiteral("ok"), 0,
               QStringLiteral("changed: %1").arg(changed.join(QStringLiteral(", "))));
}

} // namespace lifeboat
