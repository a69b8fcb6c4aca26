// Issue #20, item 7: a schedule at 02:30 Europe/Berlin showed "Next run 01:30:00" (an unlabelled UTC time) beside
// "at 02:30 every day" on the Schedules page and the Dashboard. Times are shown in the schedule's own zone, labelled
// with it. The computer's zone is UTC here (TZ=UTC in the test's environment), so the two readings differ.
#include "catalog/ScheduleRecord.h"
#include "models/ScheduleListModel.h"
#include "schedule/CronExpression.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/dashboard/DashboardPage.h"
#include "ui/schedules/SchedulesPage.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

class TestScheduleZone : public QObject {
    Q_OBJECT
private slots:
    void timesAreShownInTheSchedulesZone() {
        QCOMPARE(QTimeZone::systemTimeZone().offsetFromUtc(QDateTime::currentDateTimeUtc()), 0);
        QTemporaryDir home;
        AppContext ctx(home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        ScheduleRecord s;
        s.name = QStringLiteral("berlin-nightly");
        s.profile = QStringLiteral("shop");
        s.cron = QStringLiteral("30 2 * * *");
        s.timeZone = QStringLiteral("Europe/Berlin");
        QVERIFY2(ctx.catalog()->saveSchedule(s, &err), qPrintable(err));
        const QDateTime next =
            CronExpression::parse(s.cron).nextFire(QDateTime::currentDateTimeUtc(), QTimeZone("Europe/Berlin"));
        QVERIFY(next.isValid());
        QCOMPARE(next.toTimeZone(QTimeZone("Europe/Berlin")).time(), QTime(2, 30));

        MainWindow w(&ctx);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        w.showPage(MainWindow::Schedules);
        auto *page = w.findChild<SchedulesPage *>();
        QVERIFY(page);
        QTRY_VERIFY_WITH_TIMEOUT(page->model()->rowOf(s.name) >= 0, 10000);
        const QString shown =
            page->model()->index(page->model()->rowOf(s.name), ScheduleListModel::NextRunColumn).data().toString();
        QVERIFY2(shown.contains(QStringLiteral("02:30")) && shown.contains(QStringLiteral("Europe/Berlin")),
                 qPrintable(shown));
        QVERIFY2(!shown.contains(QStringLiteral("01:30")) && !shown.contains(QStringLiteral("00:30")),
                 qPrintable(shown));

        w.showPage(MainWindow::Dashboard);
        DashboardPage *dash = w.dashboardPage();
        QSignalSpy refreshed(dash, &DashboardPage::refreshed);
        dash->refresh();
        QVERIFY(refreshed.wait(20000));
        const QString card = dash->cardText(QStringLiteral("next"));
        QVERIFY2(card.contains(QStringLiteral("02:30")) && card.contains(QStringLiteral("Europe/Berlin")),
                 qPrintable(card));
        const QString note = dash->cardNote(QStringLiteral("next"));
        QVERIFY2(note.contains(QStringLiteral("02:30")) && note.contains(QStringLiteral("Europe/Berlin")) &&
                     note.contains(QStringLiteral("at 02:30")),
                 qPrintable(note));
    }
};

QTEST_MAIN(TestScheduleZone)
#include "tst_gui_schedulezone.moc"
