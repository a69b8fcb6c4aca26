// Issue #20, item 3 beyond database backups: a Redis backup of a server nobody listens on, a files backup of a folder
// that is gone, and a database backup to a storage that cannot be opened (an S3 storage without credentials) each
// leave a FAILED record with their error — from the app (Schedules → Run now, Back up now) and from lifeboatctl —
// so History, `lifeboatctl list` and the dashboard's failure count show them. Before, the Jobs page said "Failed"
// and nothing else remembered the attempt. The database server is the real pg fixture; Redis is really unreachable
// (port 1 of the loopback).
#include "TestEnv.h"

#include "catalog/BackupRecord.h"
#include "catalog/ScheduleRecord.h"
#include "jobs/Job.h"
#include "models/JobListModel.h"
#include "models/ScheduleListModel.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/dashboard/DashboardPage.h"
#include "ui/history/HistoryPage.h"
#include "ui/schedules/SchedulesPage.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestFailedSources : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_home;

    void ctl(const QStringList &args) {
        const auto r = TestEnv::ctl(m_home.path(), args);
        QVERIFY2(r.exitCode == 0,
                 qPrintable(args.join(QLatin1Char(' ')) + QLatin1Char('\n') + QString::fromUtf8(r.err)));
    }
    // FAILED records of a source in `lifeboatctl list`, with their errors.
    QStringList failedInList(const QString &source, const QString &kind) {
        const auto r = TestEnv::ctl(m_home.path(), {QStringLiteral("--json"), QStringLiteral("list")});
        QStringList errors;
        for (const auto &v : QJsonDocument::fromJson(r.out).array()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("status")).toString() == BackupRecord::statusFailed() &&
                o.value(QStringLiteral("profile")).toString() == source &&
                o.value(QStringLiteral("kind")).toString() == kind)
                errors << o.value(QStringLiteral("error")).toString();
        }
        return errors;
    }
    // Run now on the schedule; returns the finished job's result.
    static JobResult runNow(AppContext &ctx, SchedulesPage &page, const QString &schedule) {
        if (!QTest::qWaitFor([&] { return page.model()->rowOf(schedule) >= 0; }, 10000))
            return {{ExitCode::Usage, QStringLiteral("schedule not listed")}, -1, {}};
        page.selectSchedule(schedule);
        QSignalSpy started(&page, &SchedulesPage::runStarted);
        QSignalSpy ended(ctx.jobs(), &JobListModel::jobEnded);
        QTest::mouseClick(page.runNowButton(), Qt::LeftButton);
        if (!started.wait(15000) || !started.first().at(0).value<Job *>()) {
            qWarning() << "Run now did not start a job:" << (started.isEmpty() ? QString() : started.first().at(1));
            return {{ExitCode::Usage, QStringLiteral("not started")}, -1, {}};
        }
        if (!QTest::qWaitFor([&] { return !ended.isEmpty(); }, 60000))
            return {{ExitCode::Usage, QStringLiteral("did not end")}, -1, {}};
        return ended.first().at(1).value<JobResult>();
    }

private slots:
    void initTestCase() {
        QVERIFY2(!TestEnv::fixture(QStringLiteral("pg")).isEmpty(), "the pg fixture is not running");
        // No AWS chain: the S3 storage below has no credentials at all.
        qunsetenv("AWS_ACCESS_KEY_ID");
        qunsetenv("AWS_SECRET_ACCESS_KEY");
        qunsetenv("AWS_PROFILE");
        qputenv("AWS_SHARED_CREDENTIALS_FILE", m_home.filePath(QStringLiteral("none")).toUtf8());
        qputenv("AWS_CONFIG_FILE", m_home.filePath(QStringLiteral("none")).toUtf8());
        const QString uploads = m_home.filePath(QStringLiteral("uploads"));
        QVERIFY(QDir().mkpath(uploads));
        ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"), QStringLiteral("--local"),
             m_home.filePath(QStringLiteral("backups"))});
        ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("nokeys"), QStringLiteral("--s3"),
             QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--bucket"),
             QStringLiteral("b"), QStringLiteral("--path-style")});
        ctl({QStringLiteral("redis"), QStringLiteral("add"), QStringLiteral("cache"), QStringLiteral("--url"),
             QStringLiteral("redis://127.0.0.1:1"), QStringLiteral("--storage"), QStringLiteral("disk")});
        ctl({QStringLiteral("files"), QStringLiteral("add"), QStringLiteral("uploads"), QStringLiteral("--path"),
             uploads, QStringLiteral("--storage"), QStringLiteral("disk")});
        ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shop"), QStringLiteral("--conninfo"),
             TestEnv::pgConninfo(QStringLiteral("postgres")), QStringLiteral("--storage"), QStringLiteral("disk")});
        ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("cache-nightly"),
             QStringLiteral("--redis"), QStringLiteral("cache")});
        ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("uploads-nightly"),
             QStringLiteral("--files"), QStringLiteral("uploads")});
        // The folder goes away after it was configured (an unmounted volume).
        QVERIFY(QDir(uploads).removeRecursively());
    }

    void appRecordsEveryFailedAttempt() {
        AppContext ctx(m_home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        MainWindow w(&ctx);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.showPage(MainWindow::Schedules);
        auto *page = w.findChild<SchedulesPage *>();
        QVERIFY(page);

        QList<qint64> ids;
        for (const QString &schedule : {QStringLiteral("cache-nightly"), QStringLiteral("uploads-nightly")}) {
            const JobResult r = runNow(ctx, *page, schedule);
            QVERIFY2(r.recordId >= 0, qPrintable(schedule));
            QVERIFY(!r.ok());
            QVERIFY2(r.recordId > 0, qPrintable(schedule + QStringLiteral(": the failed attempt has no record")));
            const auto rec = ctx.catalog()->get(r.recordId);
            QVERIFY(rec);
            QCOMPARE(rec->status, BackupRecord::statusFailed());
            QCOMPARE(rec->error, r.error.message);
            QVERIFY(!rec->error.isEmpty());
            QVERIFY(rec->locations.isEmpty());
            QCOMPARE(rec->label, QStringLiteral("schedule %1").arg(schedule));
            ids << r.recordId;
        }
        QCOMPARE(ctx.catalog()->get(ids[0])->kind, QStringLiteral("redis"));
        QCOMPARE(ctx.catalog()->get(ids[0])->profile, QStringLiteral("cache"));
        QCOMPARE(ctx.catalog()->get(ids[1])->kind, QStringLiteral("files"));
        QVERIFY2(ctx.catalog()->get(ids[1])->error.contains(QStringLiteral("is not a directory")),
                 qPrintable(ctx.catalog()->get(ids[1])->error));

        // Back up now to a storage that cannot be opened: the job starts, fails with the storage's reason, and is
        // recorded (before, it was refused before starting and left nothing).
        QSignalSpy ended(ctx.jobs(), &JobListModel::jobEnded);
        Job *job = nullptr;
        QString why;
        ctx.startBackup(QStringLiteral("shop"), {QStringLiteral("nokeys")}, BackupOptions{}, {},
                        [&](Job *j, const QString &e) {
                            job = j;
                            why = e.isEmpty() ? QStringLiteral("-") : e;
                        });
        QTRY_VERIFY_WITH_TIMEOUT(!why.isEmpty(), 15000);
        QVERIFY2(job, qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(!ended.isEmpty(), 60000);
        const JobResult r = ended.first().at(1).value<JobResult>();
        QVERIFY(!r.ok());
        QVERIFY2(r.recordId > 0, qPrintable(r.error.message));
        const auto rec = ctx.catalog()->get(r.recordId);
        QCOMPARE(rec->status, BackupRecord::statusFailed());
        QCOMPARE(rec->kind, QStringLiteral("database"));
        QVERIFY2(rec->error.contains(QStringLiteral("nokeys")) && rec->error.contains(QStringLiteral("credentials")),
                 qPrintable(rec->error));
        ids << r.recordId;

        // History shows all three; the dashboard counts them.
        w.showPage(MainWindow::History);
        w.historyPage()->reload();
        for (qint64 id : ids)
            QTRY_VERIFY_WITH_TIMEOUT(w.historyPage()->selectRecord(id), 10000);
        w.showPage(MainWindow::Dashboard);
        w.dashboardPage()->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(w.dashboardPage()->cardText(QStringLiteral("failures")), QStringLiteral("3"), 10000);
    }

    void cliRecordsEveryFailedAttempt() {
        const QStringList redisBefore = failedInList(QStringLiteral("cache"), QStringLiteral("redis"));
        const QStringList filesBefore = failedInList(QStringLiteral("uploads"), QStringLiteral("files"));
        auto r =
            TestEnv::ctl(m_home.path(), {QStringLiteral("redis"), QStringLiteral("backup"), QStringLiteral("cache")});
        QVERIFY(r.exitCode != 0);
        r = TestEnv::ctl(m_home.path(), {QStringLiteral("files"), QStringLiteral("backup"), QStringLiteral("uploads")});
        QVERIFY(r.exitCode != 0);
        const QStringList redis = failedInList(QStringLiteral("cache"), QStringLiteral("redis"));
        const QStringList files = failedInList(QStringLiteral("uploads"), QStringLiteral("files"));
        QCOMPARE(redis.size(), redisBefore.size() + 1);
        QCOMPARE(files.size(), filesBefore.size() + 1);
        QVERIFY2(files.first().contains(QStringLiteral("is not a directory")), qPrintable(files.first()));
    }
};

QTEST_MAIN(TestFailedSources)
#include "tst_gui_failedsources.moc"
