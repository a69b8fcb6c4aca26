#include "sets/SetRestoreJob.h"

#include "jobs/CancelForwarder.h"

#include <QJsonArray>
#include <QJsonObject>

namespace lifeboat {

SetRestoreJob::SetRestoreJob(Request request, QObject *parent)
    : Job(parent)
    , m_req(std::move(request)) {}

SetRestoreJob::~SetRestoreJob() = default;

QString SetRestoreJob::title() const {
    return QStringLiteral("Restore of set %1").arg(m_req.setId);
}

JobResult SetRestoreJob::execute() {
    QList<QJsonObject> rows;
    JobProgress progress;
    progress.phase = QStringLiteral("checking");
    progress.itemsTotal = static_cast<int>(m_req.members.size());
    reportProgress(progress, true);
    auto detailsOf = [&](const QString &status) {
        QJsonArray a;
        for (const QJsonObject &o : std::as_const(rows))
            a.append(o);
        return QJsonObject{{QStringLiteral("setId"), m_req.setId},
                           {QStringLiteral("dryRun"), m_req.dryRun},
                           {QStringLiteral("status"), status},
                           {QStringLiteral("members"), a}};
    };

    // Every check before anything is touched.
    for (const Member &m : m_req.members) {
        QJsonObject row{{QStringLiteral("kind"), m.kind},
                        {QStringLiteral("name"), m.name},
                        {QStringLiteral("recordId"), m.recordId}};
        if (!m.guidance.isEmpty())
            row.insert(QStringLiteral("guidance"), m.guidance);
        Error e;
        if (m.check) {
            QJsonObject checkDetails;
            e = m.check(&checkDetails);
            if (!checkDetails.isEmpty())
                row.insert(QStringLiteral("checkDetails"), checkDetails);
        }
        row.insert(QStringLiteral("check"), e ? QStringLiteral("refused") : QStringLiteral("passed"));
        if (e)
            row.insert(QStringLiteral("error"), e.message);
        rows << row;
        if (e) {
            const QString why = QStringLiteral("set restore refused at %1 %2 (record #%3): %4 — nothing was changed")
                                    .arg(m.kind, m.name)
                                    .arg(m.recordId)
                                    .arg(e.message);
            log(why);
            return {
                {e.code == ExitCode::Ok ? ExitCode::Refused : e.code, why}, 0, detailsOf(QStringLiteral("REFUSED"))};
        }
        log(QStringLiteral("%1 %2: check passed").arg(m.kind, m.name));
        if (isCancelled())
            return cancelledResult();
    }
    if (m_req.dryRun) {
        log(QStringLiteral("dry run: every member's check passed; nothing was changed"));
        return {{}, 0, detailsOf(QStringLiteral("CHECKED"))};
    }

    progress.phase = QStringLiteral("restoring");
    CancelForwarder forward(this); // Ctrl-C reaches the member's pg_restore, not only the gap before the next member
    for (qsizetype i = 0; i < static_cast<qsizetype>(m_req.members.size()); ++i) {
        const Member &m = m_req.members.at(i);
        QJsonObject &row = rows[i];
        if (!m.makeJob) {
            row.insert(QStringLiteral("status"), QStringLiteral("GUIDANCE"));
            continue;
        }
        if (isCancelled())
            return cancelledResult();
        progress.currentItem = QStringLiteral("%1 %2").arg(m.kind, m.name);
        reportProgress(progress, true);
        std::unique_ptr<Job> job = m.makeJob();
        connect(
            job.get(), &Job::logLine, this,
            [this, m](const QString &line) { log(QStringLiteral("[%1 %2] %3").arg(m.kind, m.name, line)); },
            Qt::DirectConnection);
        forward.setRunning(job.get());
        const JobResult r = job->run();
        forward.setRunning(nullptr);
        row.insert(QStringLiteral("details"), r.details);
        if (!r.ok()) {
            row.insert(QStringLiteral("status"), QStringLiteral("FAILED"));
            row.insert(QStringLiteral("error"), r.error.message);
            const QString why = QStringLiteral("set restore failed at %1 %2: %3").arg(m.kind, m.name, r.error.message);
            log(why);
            return {{r.error.code, why}, 0, detailsOf(QStringLiteral("FAILED"))};
        }
        row.insert(QStringLiteral("status"), QStringLiteral("RESTORED"));
        ++progress.itemsDone;
    }
    progress.phase = QStringLiteral("done");
    reportProgress(progress, true);
    return {{}, 0, detailsOf(QStringLiteral("RESTORED"))};
}

} // namespace lifeboat
