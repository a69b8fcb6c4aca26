#include "jobs/JobRunner.h"

#include "catalog/AuditTrail.h"

#include <QThread>

namespace lifeboat {

JobRunner::JobRunner(int concurrency, QObject *parent)
    : QObject(parent)
    , m_concurrency(qMax(1, concurrency)) {}

JobRunner::~JobRunner() {
    qDeleteAll(m_queue);
    m_queue.clear();
    for (Job *j : std::as_const(m_running))
        j->cancel();
    for (QThread *t : std::as_const(m_threads)) {
        t->requestInterruption();
        t->wait();
        delete t;
    }
    qDeleteAll(m_running);
}

void JobRunner::setConcurrency(int n) {
    m_concurrency = qMax(1, n);
    startNext();
}

Job *JobRunner::submit(std::unique_ptr<Job> job) {
    Job *raw = job.release();
    raw->setParent(nullptr);
    m_queue.append(raw);
    // Start from the event loop so callers can connect to the job's signals first.
    QMetaObject::invokeMethod(this, &JobRunner::startNext, Qt::QueuedConnection);
    return raw;
}

void JobRunner::cancelAll() {
    for (Job *j : std::as_const(m_queue)) {
        j->cancel();
    }
    for (Job *j : std::as_const(m_running))
        j->cancel();
}

void JobRunner::startNext() {
    while (!m_queue.isEmpty() && m_running.size() < m_concurrency) {
        Job *job = m_queue.takeFirst();
        m_running.append(job);
        // The job hands itself back to the runner's thread when done, so it can be deleted here.
        QThread *thread = QThread::create([job, home = this->thread()] {
            job->run();
            job->moveToThread(home);
        });
        thread->setObjectName(QStringLiteral("job: ") + job->title());
        job->moveToThread(thread);
        m_threads.append(thread);
        connect(thread, &QThread::finished, this, [this, job, thread] { onThreadDone(job, thread); });
        emit jobStarted(job);
        thread->start();
    }
}

namespace {
// Jobs that read backups are audited here, the one place the CLI and the app both run them through; jobs that
// write a backup record are audited by the catalog when the record ends (SqlCatalog::update).
void auditJob(const Job *job, const JobResult &result) {
    static const QHash<QByteArray, QString> actions{{"lifeboat::RestoreJob", QStringLiteral("restore")},
                                                    {"lifeboat::FilesRestoreJob", QStringLiteral("restore")},
                                                    {"lifeboat::SetRestoreJob", QStringLiteral("restore")},
                                                    {"lifeboat::MirrorRestoreJob", QStringLiteral("restore")},
                                                    {"lifeboat::RecoverJob", QStringLiteral("recover")},
                                                    {"lifeboat::VerifyJob", QStringLiteral("verify")}};
    const QString action = actions.value(QByteArray(job->metaObject()->className()));
    if (action.isEmpty() || !AuditTrail::active())
        return;
    const QString outcome = result.ok()                                ? QStringLiteral("completed")
                            : result.error.code == ExitCode::Cancelled ? QStringLiteral("cancelled")
                            : result.error.code == ExitCode::Refused   ? QStringLiteral("refused")
                                                                       : QStringLiteral("failed");
    // A restore's result carries no record id: the job names the backup it read in a property.
    const qint64 backupId = result.recordId > 0 ? result.recordId : job->property("auditBackupId").toLongLong();
    AuditTrail::record(action, job->title(), outcome, backupId, result.ok() ? QString() : result.error.message);
}
} // namespace

void JobRunner::onThreadDone(Job *job, QThread *thread) {
    m_threads.removeOne(thread);
    m_running.removeOne(job);
    thread->wait();
    delete thread;
    auditJob(job, job->result());
    emit jobFinished(job, job->result());
    job->deleteLater();
    startNext();
    if (m_running.isEmpty() && m_queue.isEmpty())
        emit idle();
}

} // namespace lifeboat
