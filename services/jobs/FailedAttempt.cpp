#include "jobs/FailedAttempt.h"

#include <QCoreApplication>
#include <QSysInfo>

namespace lifeboat {

qint64 FailedAttempt::record(Catalog *catalog, BackupRecord r, const Error &e, QString *catalogError) {
    if (!catalog)
        return 0;
    r.id = 0;
    r.status = e.code == ExitCode::Cancelled ? BackupRecord::statusCancelled() : BackupRecord::statusFailed();
    r.error = e.message;
    r.size = 0;
    r.sha256.clear();
    r.plainSha256.clear();
    r.locations.clear(); // nothing was written, or what was is gone
    if (!r.started.isValid())
        r.started = QDateTime::currentDateTimeUtc();
    r.finished = QDateTime::currentDateTimeUtc();
    r.durationMs = r.started.msecsTo(r.finished);
    // NOT NULL columns: what is unknown is empty, not null (Qt binds a null QString as SQL NULL).
    for (QString *text : {&r.profile, &r.database, &r.kind, &r.type, &r.filename})
        if (text->isNull())
            *text = QStringLiteral("");
    r.host = QSysInfo::machineHostName();
    r.pid = QCoreApplication::applicationPid();
    if (!catalog->insert(r, catalogError))
        return 0;
    return r.id;
}

QJsonObject FailedAttempt::details(qint64 id, const Error &e) {
    return {{QStringLiteral("id"), id},
            {QStringLiteral("status"),
             e.code == ExitCode::Cancelled ? BackupRecord::statusCancelled() : BackupRecord::statusFailed()},
            {QStringLiteral("error"), e.message}};
}

} // namespace lifeboat
