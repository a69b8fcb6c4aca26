// The audit trail in the desktop app (issue 18): a change made in the app (a profile added through AppContext, as
// the settings page does) is a row with the OS user, the host and the program "desktop", written off the GUI
// thread; the Activity page is in the sidebar, shows it, and narrows the list as text is typed into its filter
// (typed through the focus chain). With 100,000 rows the first page arrives at once and more rows load only as
// the view scrolls.
#include "catalog/AuditTrail.h"
#include "core/Home.h"
#include "models/ActivityModel.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/history/ActivityPage.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

using namespace lifeboat;

class TestActivity : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<AppContext> m_ctx;

    int rowsWith(const ActivityModel *m, int column, const QString &text) {
        int n = 0;
        for (int r = 0; r < m->rowCount(); ++r)
            n += m->index(r, column).data().toString() == text;
        return n;
    }

private slots:
    void initTestCase() {
        m_ctx = std::make_unique<AppContext>(m_tmp.path());
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
    }

    void desktopChangeIsARowOnTheActivityPage() {
        QString err;
        QVERIFY2(m_ctx->updateConfig(
                     [](ConfigStore &c) {
                         Profile shop;
                         shop.name = QStringLiteral("shop");
                         shop.conninfo = QStringLiteral("host=127.0.0.1 dbname=shop");
                         c.upsertProfile(shop);
                     },
                     &err),
                 qPrintable(err));
        AuditTrail::flush();
        AuditFilter f;
        f.action = QStringLiteral("profile");
        const QList<AuditEntry> rows = m_ctx->catalog()->auditEntries(f);
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().action, QStringLiteral("profile.add"));
        QCOMPARE(rows.first().target, QStringLiteral("shop"));
        QCOMPARE(rows.first().program, QStringLiteral("desktop"));
        QCOMPARE(rows.first().osUser, QString::fromLocal8Bit(getpwuid(geteuid())->pw_name));
        QCOMPARE(rows.first().host, QSysInfo::machineHostName());

        MainWindow w(m_ctx.get());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.showPage(MainWindow::Activity);
        QCOMPARE(w.currentPage(), MainWindow::Activity);
        auto *page = w.findChild<ActivityPage *>();
        QVERIFY(page);
        QTRY_VERIFY(page->model()->rowCount() >= 1);
        QCOMPARE(rowsWith(page->model(), ActivityModel::ActionColumn, QStringLiteral("profile.add")), 1);
        QCOMPARE(rowsWith(page->model(), ActivityModel::ProgramColumn, QStringLiteral("desktop")),
                 page->model()->rowCount());

        // Type into the filter through the focus chain: nothing matches, then the profile's row again.
        page->filterField()->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), page->filterField());
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("user:nobody-here"));
        QTRY_COMPARE(page->model()->rowCount(), 0);
        page->filterField()->clear();
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("shop"));
        QTRY_VERIFY(page->model()->rowCount() >= 1);
        for (int r = 0; r < page->model()->rowCount(); ++r) {
            const QString target = page->model()->index(r, ActivityModel::TargetColumn).data().toString();
            const QString detail = page->model()->index(r, ActivityModel::DetailColumn).data().toString();
            QVERIFY(target.contains(QStringLiteral("shop")) || detail.contains(QStringLiteral("shop")));
        }
        // The raw role sorts by time, not by its text.
        QCOMPARE(page->model()->index(0, ActivityModel::TimeColumn).data(ActivityModel::RawRole).typeId(),
                 QMetaType::QDateTime);
    }

    void hundredThousandRowsPageIn() {
        {
            QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bulk"));
            d.setDatabaseName(Home::catalogPath(m_tmp.path()));
            QVERIFY(d.open());
            QSqlQuery q(d);
            QVERIFY(d.transaction());
            q.prepare(QStringLiteral("INSERT INTO audit_log (at, os_user, host, program, action, target, outcome, "
                                     "backup_id, detail) VALUES (?, 'bulk', 'h', 'cli', 'backup', ?, 'completed', ?, "
                                     "'')"));
            const QDateTime t0 = QDateTime::currentDateTimeUtc().addDays(-30);
            for (int i = 0; i < 100000; ++i) {
                q.addBindValue(t0.addSecs(i).toString(Qt::ISODateWithMs));
                q.addBindValue(QStringLiteral("db%1").arg(i % 50));
                q.addBindValue(i + 1);
                QVERIFY(q.exec());
            }
            QVERIFY(d.commit());
            d.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("bulk"));

        ActivityPage page(m_ctx.get());
        page.resize(1000, 600);
        QElapsedTimer t;
        t.start();
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_COMPARE(page.model()->rowCount(), ActivityModel::kPageSize);
        const qint64 firstPage = t.elapsed();
        QVERIFY2(firstPage < 5000, qPrintable(QString::number(firstPage)));
        QVERIFY(page.model()->totalCount() > 100000);
        // Scrolling to the end asks for the next page, and only that (once the view has laid out the first page:
        // before that the scroll bar's maximum is still 0 and "the end" is the top).
        QTRY_VERIFY_WITH_TIMEOUT(page.view()->verticalScrollBar()->maximum() > 0, 30000);
        page.view()->verticalScrollBar()->setValue(page.view()->verticalScrollBar()->maximum());
        QTRY_COMPARE_WITH_TIMEOUT(page.model()->rowCount(), 2 * ActivityModel::kPageSize, 30000); // a loaded CI
        QVERIFY(page.model()->rowCount() < page.model()->totalCount());
        // In the order written, newest first: the last bulk row leads (its backup id as a number for sorting).
        QCOMPARE(page.model()->index(0, ActivityModel::BackupColumn).data(ActivityModel::RawRole).toLongLong(), 100000);
        QCOMPARE(page.model()->index(0, ActivityModel::BackupColumn).data().toString(), QStringLiteral("#100000"));
        qInfo("first page of %d rows in %lld ms", page.model()->totalCount(), firstPage);
    }
};

QTEST_MAIN(TestActivity)
#include "tst_gui_activity.moc"
