#include "TestEnv.h"

#include "catalog/SqlCatalog.h"
#include "core/Home.h"
#include "models/BackupHistoryModel.h"
#include "models/HistoryFilterProxy.h"
#include "models/JobListModel.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/dashboard/BackupNowDialog.h"
#include "ui/dashboard/DashboardPage.h"
#include "ui/history/HistoryPage.h"
#include "ui/jobs/JobsPage.h"
#include "ui/settings/ProfileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

// Against the pg fixture: a real backup started from the Back-up-now dialog (tables listed from the live database,
// one left out) appears in History; a backup of a ~200 MB database cancelled from the Jobs page ends CANCELLED and
// leaves no file; a second backup of a busy profile is refused. Then a screenshot of every page.
class TestBackupFlow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_home;
    std::unique_ptr<AppContext> m_ctx;
    std::unique_ptr<MainWindow> m_window;
    QString m_store;

    BackupNowDialog *openDialog(const QString &profile) {
        m_ctx->setCurrentProfile(profile);
        BackupNowDialog *d = m_window->openBackupDialog();
        if (!d)
            return nullptr;
        if (!QTest::qWaitFor([d] { return d->tablesLoaded(); }, 30000))
            return nullptr;
        return d;
    }

private slots:
    void initTestCase() {
        QVERIFY2(!TestEnv::fixture(QStringLiteral("pg")).isEmpty(), "the pg fixture is not running");
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS gui_shop"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS gui_big"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE gui_shop"));
        TestEnv::psql(
            QStringLiteral("gui_shop"),
            QStringLiteral("CREATE TABLE customers (id int PRIMARY KEY, name text);"
                           "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 500) g;"
                           "CREATE TABLE orders (id int PRIMARY KEY, customer int, total numeric);"
                           "INSERT INTO orders SELECT g, g % 500 + 1, g * 1.5 FROM generate_series(1, 3000) g;"
                           "CREATE TABLE audit_log (id int, note text);"
                           "INSERT INTO audit_log SELECT g, md5(g::text) FROM generate_series(1, 2000) g;"));
        // ~200 MB of poorly compressible rows: big enough to still be dumping when Cancel is clicked.
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE gui_big"));
        TestEnv::psql(QStringLiteral("gui_big"),
                      QStringLiteral("CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) || "
                                     "md5((g * 13)::text) AS payload FROM generate_series(1, 1500000) g"));
        const QString size =
            TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("SELECT pg_database_size('gui_big')")).trimmed();
        qInfo("gui_big: %s bytes", qPrintable(size));
        QVERIFY(size.toLongLong() > 150LL * 1000 * 1000);

        m_store = m_home.filePath(QStringLiteral("backups"));
        m_ctx = std::make_unique<AppContext>(m_home.path());
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        QVERIFY(m_ctx->updateConfig(
            [this](ConfigStore &c) {
                StorageConfig s;
                s.name = QStringLiteral("disk");
                s.localDir = m_store;
                c.upsertStorage(s);
                Profile shop;
                shop.name = QStringLiteral("shop");
                shop.conninfo = TestEnv::pgConninfo(QStringLiteral("gui_shop"));
                shop.defaultStorages = {QStringLiteral("disk")};
                c.upsertProfile(shop);
                Profile big = shop;
                big.name = QStringLiteral("warehouse");
                big.conninfo = TestEnv::pgConninfo(QStringLiteral("gui_big"));
                big.production = true;
                c.upsertProfile(big);
                c.setOption(QStringLiteral("pgToolDir"),
                            TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_BIN")));
            },
            &err));
        m_window = std::make_unique<MainWindow>(m_ctx.get());
        m_window->resize(1180, 760);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QCOMPARE(m_window->currentPage(), MainWindow::Dashboard);
    }

    void testConnectionShowsServerVersion() {
        ProfileDialog d(m_ctx.get(), *m_ctx->config().profile(QStringLiteral("shop")));
        QSignalSpy done(&d, &ProfileDialog::testFinished);
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        QVERIFY(done.wait(20000));
        QVERIFY2(done.first().first().toBool(), qPrintable(d.testResult()->text()));
        const QString version = TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("SHOW server_version"))
                                    .trimmed()
                                    .section(QLatin1Char(' '), 0, 0);
        QVERIFY2(d.testResult()->text().contains(QStringLiteral("PostgreSQL %1").arg(version)),
                 qPrintable(d.testResult()->text() + QStringLiteral(" / ") + version));
        QVERIFY(d.testResult()->text().contains(QStringLiteral("gui_shop")));
    }

    void backupFromDialogAppearsInHistory() {
        BackupNowDialog *d = openDialog(QStringLiteral("shop"));
        QVERIFY(d);
        // The live database's tables, all checked; leave audit_log out.
        QStringList names;
        for (int i = 0; i < d->tableList()->count(); ++i)
            names << d->tableList()->item(i)->data(Qt::UserRole).toString();
        names.sort();
        QCOMPARE(names, (QStringList{QStringLiteral("public.audit_log"), QStringLiteral("public.customers"),
                                     QStringLiteral("public.orders")}));
        for (int i = 0; i < d->tableList()->count(); ++i) {
            if (d->tableList()->item(i)->data(Qt::UserRole).toString() == QLatin1String("public.audit_log"))
                d->tableList()->item(i)->setCheckState(Qt::Unchecked);
        }
        QCOMPARE(d->selectedStorages(), QStringList{QStringLiteral("disk")});
        d->labelField()->setText(QStringLiteral("from-the-gui"));
        QVERIFY(d->runButton()->isEnabled());
        QTest::mouseClick(d->runButton(), Qt::LeftButton);

        JobListModel *jobs = m_ctx->jobs();
        QTRY_COMPARE_WITH_TIMEOUT(jobs->rowCount(), 1, 10000);
        QTRY_COMPARE(m_window->currentPage(), MainWindow::Jobs);
        QTRY_VERIFY_WITH_TIMEOUT(jobs->state(0) > JobListModel::State::Running, 120000);
        QVERIFY2(jobs->state(0) == JobListModel::State::Succeeded, qPrintable(jobs->log(0)));
        const qint64 id = jobs->index(0, 0).data(JobListModel::RecordIdRole).toLongLong();
        QVERIFY(id > 0);

        // History reloads by itself and shows the new record.
        HistoryPage *h = m_window->historyPage();
        QTRY_VERIFY_WITH_TIMEOUT(h->model()->rowOfId(id) >= 0, 10000);
        const BackupRecord *r = h->model()->record(h->model()->rowOfId(id));
        QCOMPARE(r->status, BackupRecord::statusCompleted());
        QCOMPARE(r->profile, QStringLiteral("shop"));
        QCOMPARE(r->database, QStringLiteral("gui_shop"));
        QCOMPARE(r->label, QStringLiteral("from-the-gui"));
        QVERIFY(QFile::exists(r->locations.first().path));
        // audit_log was left out: the manifest (written by the real job) lists only the two other tables.
        QFile manifest(r->locations.first().manifestPath);
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const QByteArray mj = manifest.readAll();
        QVERIFY(mj.contains("\"customers\""));
        QVERIFY(!mj.contains("audit_log"));
        const QModelIndex idx =
            h->proxy()->mapFromSource(h->model()->index(h->model()->rowOfId(id), BackupHistoryModel::StatusColumn));
        QCOMPARE(idx.data().toString(), BackupRecord::statusCompleted());
    }

    void cancelFromJobsPage() {
        BackupNowDialog *d = openDialog(QStringLiteral("warehouse"));
        QVERIFY(d);
        d->compressionField()->setCurrentIndex(d->compressionField()->findData(QStringLiteral("gzip:9")));
        QTest::mouseClick(d->runButton(), Qt::LeftButton);
        JobListModel *jobs = m_ctx->jobs();
        QTRY_COMPARE_WITH_TIMEOUT(jobs->rowCount(), 2, 10000);
        const int row = 1;
        QTRY_COMPARE(m_window->currentPage(), MainWindow::Jobs);

        // While it runs, a second backup of the same profile is refused.
        QTRY_VERIFY_WITH_TIMEOUT(jobs->index(row, JobListModel::BytesColumn).data().toString().size() > 0, 60000);
        QVERIFY(jobs->state(row) == JobListModel::State::Running);
        QVERIFY(m_ctx->isBackupBusy(QStringLiteral("warehouse")));
        m_ctx->setCurrentProfile(QStringLiteral("warehouse"));
        BackupNowDialog *second = m_window->openBackupDialog();
        QVERIFY(second);
        QVERIFY(!second->runButton()->isEnabled());
        QVERIFY(second->busyLabel()->text().contains(QStringLiteral("already running")));
        QString refusal;
        m_ctx->startBackup(QStringLiteral("warehouse"), {QStringLiteral("disk")}, BackupOptions{}, {},
                           [&refusal](Job *job, const QString &e) { refusal = job ? QStringLiteral("started") : e; });
        QVERIFY(refusal.contains(QStringLiteral("already running")));
        second->reject();
        // Closing the window while a job runs asks first; "No" keeps it open and the job running.
        MessageBox::setNextAnswer(QMessageBox::No);
        QVERIFY(!m_window->close());
        QVERIFY(MessageBox::lastText().contains(QStringLiteral("still running")));
        QVERIFY(m_window->isVisible());
        QCOMPARE(jobs->state(row), JobListModel::State::Running);

        // Screenshot of the Jobs page with a live job before it is cancelled.
        JobsPage *page = m_window->jobsPage();
        page->selectRow(row);
        const QString shots = qEnvironmentVariable("LIFEBOAT_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            QDir().mkpath(shots);
            QVERIFY(m_window->grab().save(shots + QStringLiteral("/jobs.png")));
        }

        QVERIFY(page->cancelButton()->isEnabled());
        QTest::mouseClick(page->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(jobs->state(row) > JobListModel::State::Running, 60000);
        QCOMPARE(jobs->state(row), JobListModel::State::Cancelled);
        QVERIFY(!page->cancelButton()->isEnabled());
        QVERIFY(page->logView()->toPlainText().contains(QStringLiteral("Cancel requested")));

        CatalogFilter f;
        f.profile = QStringLiteral("warehouse");
        const QList<BackupRecord> records = m_ctx->catalog()->list(f);
        QCOMPARE(records.size(), 1);
        QCOMPARE(records.first().status, BackupRecord::statusCancelled());
        // Nothing left under a final name or as a partial.
        const QStringList left = QDir(m_store).entryList({QStringLiteral("*gui_big*")}, QDir::Files);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char(' '))));
        QVERIFY(!m_ctx->isBackupBusy(QStringLiteral("warehouse")));
    }

    void severalBackupsInOneSession() {
        // Each job runs on a fresh worker thread; every one must reach the catalog (a thread that inherits a dead
        // job thread's address once made the catalog insert fail).
        JobListModel *jobs = m_ctx->jobs();
        for (int i = 0; i < 4; ++i) {
            QTest::qWait(1100); // artifact names have one-second resolution
            const int before = jobs->rowCount();
            Job *started = nullptr;
            QString error;
            m_ctx->startBackup(QStringLiteral("shop"), {QStringLiteral("disk")}, BackupOptions{}, {},
                               [&](Job *job, const QString &e) {
                                   started = job;
                                   error = e;
                               });
            QTRY_VERIFY_WITH_TIMEOUT(started || !error.isEmpty(), 10000);
            QVERIFY2(started, qPrintable(error));
            QTRY_VERIFY_WITH_TIMEOUT(jobs->state(before) > JobListModel::State::Running, 120000);
            QVERIFY2(jobs->state(before) == JobListModel::State::Succeeded, qPrintable(jobs->log(before)));
            const qint64 id = jobs->index(before, 0).data(JobListModel::RecordIdRole).toLongLong();
            QCOMPARE(m_ctx->catalog()->get(id)->status, BackupRecord::statusCompleted());
        }
    }

    void screenshotsOfEveryPage() {
        // A second real backup so the chart has a line. Artifact names have one-second resolution (a second backup
        // in the same second is refused, not overwritten), so let the clock move on.
        QTest::qWait(1100);
        BackupNowDialog *d = openDialog(QStringLiteral("shop"));
        QVERIFY(d);
        QTest::mouseClick(d->runButton(), Qt::LeftButton);
        const int last = 6; // 2 earlier jobs + 4 in severalBackupsInOneSession
        QTRY_COMPARE_WITH_TIMEOUT(m_ctx->jobs()->rowCount(), last + 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_ctx->jobs()->state(last) > JobListModel::State::Running, 120000);
        QVERIFY2(m_ctx->jobs()->state(last) == JobListModel::State::Succeeded, qPrintable(m_ctx->jobs()->log(last)));
        qInfo("second backup done");
        m_ctx->probeKeychain();
        QTRY_VERIFY_WITH_TIMEOUT(m_ctx->keychainKnown(), 10000);
        qInfo("keychain: %s", qPrintable(m_ctx->keychain().message));

        const QString envDir = qEnvironmentVariable("LIFEBOAT_SCREENSHOT_DIR");
        QTemporaryDir tmp;
        const QString dir = envDir.isEmpty() ? tmp.path() : envDir;
        QDir().mkpath(dir);
        // The other pages are shot by the tests that fill them with real content: dashboard (tst_gui_tray), buckets
        // (tst_gui_buckets, against the S3 fixture), restore-* (tst_gui_restorewizard), schedules and settings
        // (tst_gui_schedules).
        const QList<QPair<MainWindow::Page, QString>> pages = {{MainWindow::History, QStringLiteral("history")}};
        DashboardPage *dash = m_window->dashboardPage();
        QTRY_VERIFY_WITH_TIMEOUT(dash->isLoaded(), 10000);
        for (const auto &p : pages) {
            m_window->showPage(p.first);
            if (p.first == MainWindow::History) // a selected row shows the actions enabled
                m_window->historyPage()->view()->selectRow(0);
            QTest::qWait(300); // let the page lay out and the chart animate in
            const QString file = dir + QLatin1Char('/') + p.second + QStringLiteral(".png");
            QVERIFY(m_window->grab().save(file));
            QVERIFY(QFileInfo(file).size() > 10000);
            qInfo("wrote %s", qPrintable(file));
        }
        BackupNowDialog *shot = openDialog(QStringLiteral("shop"));
        QVERIFY(shot);
        QVERIFY(shot->grab().save(dir + QStringLiteral("/backup-now.png")));
        shot->reject();
    }

    void cleanupTestCase() {
        m_window.reset();
        m_ctx.reset();
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS gui_big"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS gui_shop"));
    }
};

QTEST_MAIN(TestBackupFlow)
#include "tst_gui_backupflow.moc"
