#include "TestEnv.h"

#include "catalog/BackupRecord.h"
#include "jobs/Job.h"
#include "models/BackupHistoryModel.h"
#include "models/JobListModel.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/dashboard/DashboardPage.h"
#include "ui/history/HistoryPage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

// Issue #20: a backup of an unreachable server showed "Failed" on the Jobs page but nowhere else — not in History,
// not in `lifeboatctl list`, and the dashboard said "Failures, last 7 days: 0". Every attempt that was started is
// recorded FAILED with its error, from the app and from the CLI alike. The server is really unreachable: nothing
// listens on port 1 of the loopback.
class TestFailedBackup : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_home;

    QJsonArray ctlList() {
        const auto r = TestEnv::ctl(m_home.path(), {QStringLiteral("--json"), QStringLiteral("list")});
        return QJsonDocument::fromJson(r.out).array();
    }

private slots:
    void unreachableServerLeavesAFailedRecord() {
        const QString conninfo = QStringLiteral("host=127.0.0.1 port=1 dbname=gone user=backup connect_timeout=5");
        for (const QStringList &args :
             {QStringList{QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                          QStringLiteral("--local"), m_home.filePath(QStringLiteral("backups"))},
              QStringList{QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("gone"),
                          QStringLiteral("--conninfo"), conninfo, QStringLiteral("--storage"),
                          QStringLiteral("disk")}}) {
            const auto r = TestEnv::ctl(m_home.path(), args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }

        AppContext ctx(m_home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        MainWindow w(&ctx);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        // The app: Back up now on the unreachable server. (The job fails at once and is gone soon after: its result
        // comes from the job list.)
        QSignalSpy ended(ctx.jobs(), &JobListModel::jobEnded);
        Job *job = nullptr;
        QString why;
        ctx.startBackup(QStringLiteral("gone"), {QStringLiteral("disk")}, BackupOptions{}, {},
                        [&](Job *j, const QString &e) {
                            job = j;
                            why = e;
                        });
        QTRY_VERIFY_WITH_TIMEOUT(job || !why.isEmpty(), 10000);
        QVERIFY2(job, qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(!ended.isEmpty(), 60000);
        const JobResult r = ended.first().at(1).value<JobResult>();
        QVERIFY(!r.ok());
        QVERIFY2(r.recordId > 0, "the failed attempt has no catalog record");
        const auto rec = ctx.catalog()->get(r.recordId);
        QVERIFY(rec);
        QCOMPARE(rec->status, BackupRecord::statusFailed());
        QCOMPARE(rec->profile, QStringLiteral("gone"));
        QCOMPARE(rec->database, QStringLiteral("gone")); // the conninfo's: the server never said
        QVERIFY2(!rec->error.isEmpty() && rec->error == r.error.message, qPrintable(rec->error));
        // One readable line: libpq's "\n\tIs the server running…" came through as a tab (issue 20, item 11).
        QVERIFY2(!rec->error.contains(QLatin1Char('\t')) && !rec->error.contains(QLatin1Char('\n')) &&
                     !rec->error.contains(QStringLiteral("  ")),
                 qPrintable(rec->error));
        QVERIFY(rec->locations.isEmpty());
        QVERIFY(rec->finished.isValid());

        // History lists it as failed, with its error.
        w.showPage(MainWindow::History);
        HistoryPage *h = w.historyPage();
        h->reload();
        QTRY_VERIFY_WITH_TIMEOUT(h->selectRecord(r.recordId), 10000);
        // The dashboard counts it.
        w.showPage(MainWindow::Dashboard);
        w.dashboardPage()->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(w.dashboardPage()->cardText(QStringLiteral("failures")), QStringLiteral("1"), 10000);

        // The CLI: the same attempt fails with its error and a record; `list` shows both.
        const auto cli = TestEnv::ctl(m_home.path(), {QStringLiteral("backup"), QStringLiteral("gone")});
        QVERIFY(cli.exitCode != 0);
        const QJsonArray list = ctlList();
        int failed = 0;
        for (const auto &v : list) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("status")).toString() == BackupRecord::statusFailed() &&
                o.value(QStringLiteral("profile")).toString() == QLatin1String("gone"))
                ++failed;
        }
        QVERIFY2(failed == 2, QJsonDocument(list).toJson().constData());
        w.dashboardPage()->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(w.dashboardPage()->cardText(QStringLiteral("failures")), QStringLiteral("2"), 10000);
    }
};

QTEST_MAIN(TestFailedBackup)
#include "tst_gui_failedbackup.moc"
