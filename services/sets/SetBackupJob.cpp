#include "sets/SetBackupJob.h"

#include "jobs/CancelForwarder.h"

#include "core/ArtifactName.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QSysInfo>
#include <QTimeZone>

#include <atomic>
#include <chrono>

namespace lifeboat {

SetBackupJob::SetBackupJob(Request request, QObject *parent)
    : Job(parent)
    , m_req(std::move(request)) {}

SetBackupJob::~SetBackupJob() = default;

QString SetBackupJob::title() const {
    return QStringLiteral("Backup of set %1").arg(m_req.setName);
}

QString SetBackupJob::makeSetId(const QString &setName, const QDateTime &startedUtc) {
    return idPrefix(setName) + startedUtc.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
}

QDateTime SetBackupJob::timeOf(const QString &setId) {
    const QString stamp = setId.section(QLatin1Char('-'), -1);
    QDateTime t = QDateTime::fromString(stamp, QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    t.setTimeZone(QTimeZone::utc());
    return t;
}

QString SetBackupJob::idPrefix(const QString &setName) {
    return QStringLiteral("set-%1-").arg(setName);
}

void SetBackupJob::annotate(const QList<qint64> &recordIds, const QString &why) {
    for (qint64 id : recordIds) {
        auto r = m_req.catalog->get(id);
        if (!r)
            continue;
        r->error = incompleteMarker() + why;
        QString err;
        if (!m_req.catalog->update(*r, &err))
            log(QStringLiteral("could not mark record #%1 as part of a failed set: %2").arg(id).arg(err));
    }
}

qint64 SetBackupJob::placeholder(const Member &member, const Error &e, const QDateTime &started) {
    BackupRecord r;
    r.profile = member.name;
    r.database = member.name;
    r.kind = member.kind;
    r.type = m_req.type;
    r.setId = m_req.setId;
    r.filename = QStringLiteral("%1_%2_%3.failed").arg(m_req.setId, member.kind, ArtifactName::safePart(member.name));
    r.status = e.code == ExitCode::Cancelled ? BackupRecord::statusCancelled() : BackupRecord::statusFailed();
    r.error = e.message;
    r.started = started;
    r.finished = QDateTime::currentDateTimeUtc();
    r.durationMs = started.msecsTo(r.finished);
    r.host = QSysInfo::machineHostName();
    r.pid = QCoreApplication::applicationPid();
    QString err;
    if (!m_req.catalog->insert(r, &err)) {
        log(QStringLiteral("could not record the failure of %1 %2: %3").arg(member.kind, member.name, err));
        return 0;
    }
    return r.id;
}

JobResult SetBackupJob::execute() {
    log(QStringLiteral("set %1: %2 member(s), set id %3")
            .arg(m_req.setName)
            .arg(m_req.members.size())
            .arg(m_req.setId));
    QJsonArray members;
    QList<qint64> done;
    Error failure;
    QString failedMember;
    qint64 firstRecord = 0;

    // Cancelling the set cancels the member that is running.
    CancelForwarder forward(this);

    for (const Member &m : m_req.members) {
        const QDateTime started = QDateTime::currentDateTimeUtc();
        JobResult r;
        if (isCancelled()) {
            r = cancelledResult();
        } else {
            std::unique_ptr<Job> job = m.makeJob();
            connect(
                job.get(), &Job::logLine, this,
                [this, m](const QString &line) { log(QStringLiteral("[%1 %2] %3").arg(m.kind, m.name, line)); },
                Qt::DirectConnection);
            connect(
                job.get(), &Job::progress, this,
                [this, m](JobProgress p) {
                    p.currentItem = p.currentItem.isEmpty()
                                        ? QStringLiteral("%1 %2").arg(m.kind, m.name)
                                        : QStringLiteral("%1 %2: %3").arg(m.kind, m.name, p.currentItem);
                    reportProgress(p);
                },
                Qt::DirectConnection);
            forward.setRunning(job.get());
            r = job->run();
            forward.setRunning(nullptr);
        }
        qint64 recordId = r.recordId;
        if (!r.ok() && recordId == 0)
            recordId = placeholder(m, r.error, started);
        if (firstRecord == 0)
            firstRecord = recordId;
        members.append(QJsonObject{
            {QStringLiteral("kind"), m.kind},
            {QStringLiteral("name"), m.name},
            {QStringLiteral("recordId"), recordId},
            {QStringLiteral("status"),
             r.ok() ? QStringLiteral("COMPLETED")
                    : (r.error.code == ExitCode::Cancelled ? QStringLiteral("CANCELLED") : QStringLiteral("FAILED"))},
            {QStringLiteral("error"), r.error.message}});
        if (!r.ok()) {
            failure = r.error;
            failedMember = QStringLiteral("%1 %2").arg(m.kind, m.name);
            break;
        }
        done << recordId;
    }

    QJsonObject details{{QStringLiteral("setId"), m_req.setId},
                        {QStringLiteral("set"), m_req.setName},
                        {QStringLiteral("members"), members}};
    if (failure) {
        const QString why = QStringLiteral("set %1 failed at %2: %3").arg(m_req.setId, failedMember, failure.message);
        annotate(done, why);
        details.insert(QStringLiteral("status"), QStringLiteral("FAILED"));
        details.insert(QStringLiteral("failedMember"), failedMember);
        log(why);
        return {{failure.code, why}, firstRecord, details};
    }
    details.insert(QStringLiteral("status"), QStringLiteral("COMPLETED"));
    log(QStringLiteral("set %1 complete: %2 member(s)").arg(m_req.setId).arg(done.size()));
    return {{}, firstRecord, details};
}

} // namespace lifeboat
