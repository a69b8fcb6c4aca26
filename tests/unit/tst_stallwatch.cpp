// StallWatch on real jobs running on JobRunner worker threads, with a limit of a few hundred milliseconds: a job
// that goes quiet is reported once and (when configured) cancelled; a job that keeps moving is never reported; a
// job that repeats the same numbers counts as stalled.
#include "jobs/JobRunner.h"
#include "jobs/StallWatch.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

using namespace lifeboat;

namespace {
// Reports progress every `stepMs` for `activeMs` (bytes growing, or frozen when `frozen`), then either finishes or
// sits silent until cancelled (at most `quietMs`).
class ScriptedJob : public Job {
public:
    ScriptedJob(int activeMs, int stepMs, bool frozen, int quietMs)
        : m_activeMs(activeMs)
        , m_stepMs(stepMs)
        , m_frozen(frozen)
        , m_quietMs(quietMs) {}
    QString title() const override { return QStringLiteral("scripted job"); }

protected:
    JobResult execute() override {
        QElapsedTimer t;
        t.start();
        qint64 bytes = 0;
        while (t.elapsed() < m_activeMs) {
            if (isCancelled())
                return cancelledResult();
            JobProgress p;
            p.phase = QStringLiteral("dumping");
            bytes += m_frozen ? 0 : 1000;
            p.bytes = m_frozen ? 42 : bytes;
            reportProgress(p, true);
            QThread::msleep(m_stepMs);
        }
        QElapsedTimer quiet;
        quiet.start();
        while (quiet.elapsed() < m_quietMs) {
            if (isCancelled())
                return cancelledResult();
            QThread::msleep(5);
        }
        return {};
    }

private:
    int m_activeMs, m_stepMs;
    bool m_frozen;
    int m_quietMs;
};

struct Outcome {
    JobResult result;
    int stalls = 0;
    QStringList messages;
    qint64 elapsedMs = 0;
};

Outcome runWatched(std::unique_ptr<Job> job, qint64 limitMs, bool cancel) {
    Outcome o;
    JobRunner runner(1);
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    Job *j = runner.submit(std::move(job));
    StallWatch watch(j, limitMs, cancel);
    QObject::connect(&watch, &StallWatch::stallDetected, &loop, [&](const QString &m) { o.messages << m; });
    QObject::connect(&runner, &JobRunner::jobFinished, &loop, [&](Job *, const JobResult &r) {
        o.result = r;
        loop.quit();
    });
    QTimer::singleShot(10000, &loop, &QEventLoop::quit); // a hung job fails the test instead of blocking it
    loop.exec();
    o.elapsedMs = clock.elapsed();
    o.stalls = watch.stallCount();
    return o;
}
} // namespace

class TstStallWatch : public QObject {
    Q_OBJECT
private slots:
    void quietJobIsReportedOnceAndCancelled() {
        const Outcome o = runWatched(std::make_unique<ScriptedJob>(300, 20, false, 5000), 150, true);
        QCOMPARE(o.stalls, 1);
        QCOMPARE(o.messages.size(), 1);
        QVERIFY2(o.messages.first().contains(QStringLiteral("no progress for")), qPrintable(o.messages.first()));
        QVERIFY(o.messages.first().contains(QStringLiteral("last phase: dumping")));
        QVERIFY(o.messages.first().contains(QStringLiteral("cancelling")));
        QCOMPARE(o.result.error.code, ExitCode::Cancelled);
        // Reported only after the job went quiet (its last report comes 280-300 ms in, + the 150 ms limit), long
        // before its 5 s silence would have ended.
        QVERIFY2(o.elapsedMs >= 420 && o.elapsedMs < 3000, qPrintable(QString::number(o.elapsedMs)));
    }

    void movingJobIsNeverReported() {
        const Outcome o = runWatched(std::make_unique<ScriptedJob>(700, 20, false, 0), 150, true);
        QCOMPARE(o.stalls, 0);
        QVERIFY(o.result.ok());
    }

    void repeatedNumbersAreNoProgress() {
        // Progress signals keep coming but nothing changes: a stall. Not cancelled, so the job ends by itself.
        const Outcome o = runWatched(std::make_unique<ScriptedJob>(700, 20, true, 0), 150, false);
        QCOMPARE(o.stalls, 1);
        QVERIFY(!o.messages.first().contains(QStringLiteral("cancelling")));
        QVERIFY(o.result.ok());
    }
};

QTEST_GUILESS_MAIN(TstStallWatch)
#include "tst_stallwatch.moc"
