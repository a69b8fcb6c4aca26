#include "jobs/JobRunner.h"
#include "models/JobListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace lifeboat;

namespace {
// A real job on a real worker thread: `steps` steps of `stepMs`, progress and a log line per step, polling the
// cancel flag like BackupJob does; fails at step `failAt` when set; `quietMs` of silence before the first step.
class StepJob : public Job {
public:
    StepJob(QString title, int steps, int stepMs, int failAt = -1, int quietMs = 0)
        : m_title(std::move(title))
        , m_steps(steps)
        , m_stepMs(stepMs)
        , m_failAt(failAt)
        , m_quietMs(quietMs) {}
    QString title() const override { return m_title; }

protected:
    JobResult execute() override {
        for (int waited = 0; waited < m_quietMs; waited += 20) {
            if (isCancelled())
                return cancelledResult();
            QThread::msleep(20);
        }
        for (int i = 1; i <= m_steps; ++i) {
            if (isCancelled())
                return cancelledResult();
            QThread::msleep(m_stepMs);
            if (i == m_failAt)
                return {{ExitCode::PgTool, QStringLiteral("step %1 failed").arg(i)}, 0, {}};
            JobProgress p;
            p.phase = QStringLiteral("stepping");
            p.itemsDone = i;
            p.itemsTotal = m_steps;
            p.bytes = qint64(i) * 1000000;
            reportProgress(p, true);
            log(QStringLiteral("step %1").arg(i));
        }
        return {{}, 42, {}};
    }

private:
    QString m_title;
    int m_steps, m_stepMs, m_failAt, m_quietMs;
};
} // namespace

class TestJobListModel : public QObject {
    Q_OBJECT
private slots:
    void lifecycleCancelAndLogs() {
        JobRunner runner(1);
        JobListModel model(&runner);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy ended(&model, &JobListModel::jobEnded);

        Job *a = runner.submit(std::make_unique<StepJob>(QStringLiteral("long"), 400, 25));
        model.track(a, QStringLiteral("alpha"));
        Job *b = runner.submit(std::make_unique<StepJob>(QStringLiteral("short"), 4, 10));
        model.track(b, QStringLiteral("beta"));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.state(0), JobListModel::State::Queued);
        QVERIFY(model.isProfileBusy(QStringLiteral("alpha")));
        QVERIFY(model.isProfileBusy(QStringLiteral("beta")));
        QCOMPARE(model.activeCount(), 2);

        QTRY_COMPARE_WITH_TIMEOUT(model.state(0), JobListModel::State::Running, 5000);
        QCOMPARE(model.state(1), JobListModel::State::Queued); // concurrency 1
        QCOMPARE(model.index(1, JobListModel::PhaseColumn).data().toString(),
                 QStringLiteral("waiting for a free worker"));
        QTRY_VERIFY_WITH_TIMEOUT(model.index(0, 0).data(JobListModel::ProgressRole).toInt() >= 1, 10000);
        QVERIFY(model.index(0, JobListModel::PhaseColumn).data().toString().startsWith(QStringLiteral("stepping")));
        QVERIFY(!model.index(0, JobListModel::BytesColumn).data().toString().isEmpty());
        QVERIFY(model.log(0).contains(QStringLiteral("step 1")));

        QVERIFY(model.cancel(0));
        QTRY_COMPARE_WITH_TIMEOUT(model.state(0), JobListModel::State::Cancelled, 10000);
        QCOMPARE(model.index(0, JobListModel::StatusColumn).data().toString(), QStringLiteral("Cancelled"));
        QVERIFY(!model.isProfileBusy(QStringLiteral("alpha")));
        QVERIFY(!model.cancel(0)); // the job is gone; cancel is a no-op, not a crash

        QTRY_COMPARE_WITH_TIMEOUT(model.state(1), JobListModel::State::Succeeded, 10000);
        QCOMPARE(model.index(1, 0).data(JobListModel::ProgressRole).toInt(), 100);
        QCOMPARE(model.index(1, 0).data(JobListModel::RecordIdRole).toLongLong(), 42);
        // The finished job keeps its whole log after its Job object is deleted.
        QTest::qWait(50);
        QCOMPARE(model.log(1), QStringLiteral("step 1\nstep 2\nstep 3\nstep 4"));
        QCOMPARE(ended.count(), 2);
        QCOMPARE(model.activeCount(), 0);
    }

    void failureKeepsError() {
        JobRunner runner(2);
        JobListModel model(&runner);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Job *j = runner.submit(std::make_unique<StepJob>(QStringLiteral("fails"), 5, 5, 3));
        model.track(j, QStringLiteral("alpha"));
        QTRY_COMPARE_WITH_TIMEOUT(model.state(0), JobListModel::State::Failed, 10000);
        QCOMPARE(model.index(0, 0).data(JobListModel::ErrorRole).toString(), QStringLiteral("step 3 failed"));
        QVERIFY(model.log(0).endsWith(QStringLiteral("Ended: step 3 failed")));
        QCOMPARE(model.index(0, JobListModel::StatusColumn).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("step 3 failed"));
    }

    void silentJobIsMarkedStalled() {
        JobRunner runner(1);
        JobListModel model(&runner);
        model.setStallSeconds(1);
        Job *j = runner.submit(std::make_unique<StepJob>(QStringLiteral("quiet"), 1, 5, -1, 2500));
        model.track(j);
        QTRY_VERIFY_WITH_TIMEOUT(
            model.index(0, JobListModel::StatusColumn).data().toString().startsWith(QStringLiteral("Stalled")), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(model.state(0), JobListModel::State::Succeeded, 10000);
        QCOMPARE(model.index(0, JobListModel::StatusColumn).data().toString(), QStringLiteral("Succeeded"));
    }
};

QTEST_MAIN(TestJobListModel)
#include "tst_gui_joblistmodel.moc"
