// The restore wizard's production guard for a typed connection string (issue 14), against the pg fixture: a URI
// that reaches a production profile's server under another spelling (localhost for the profile's 127.0.0.1) gets
// the production treatment on the Safety page — the warning, the typed confirmation, the safety backup step (the
// override refused without it) — and the restore takes a safety backup of that database first, kept like the
// production profile's backups. Before the fix the page showed none of it (the profile was not chosen, so the
// wizard's options did not say production).
#include "GuiTyping.h"
#include "TestEnv.h"

#include "jobs/Job.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/restore/RestoreInspectPage.h"
#include "ui/restore/RestorePage.h"
#include "ui/restore/RestoreRunPage.h"
#include "ui/restore/RestoreSafetyPage.h"
#include "ui/restore/RestoreTargetPage.h"
#include "ui/restore/RestoreWizard.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestWizardProduction : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    std::unique_ptr<AppContext> m_ctx;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_backupId = 0;

    RestoreWizard *wizard() const {
        return qobject_cast<RestorePage *>(m_window->pageWidget(MainWindow::Restore))->wizard();
    }
    QAbstractButton *nextButton() const {
        QAbstractButton *commit = wizard()->button(QWizard::CommitButton);
        return commit->isVisible() ? commit : wizard()->button(QWizard::NextButton);
    }
    static QString psql(const QString &db, const QString &sql) { return TestEnv::psql(db, sql).trimmed(); }
    QJsonArray backupsOf(const QString &profile) {
        return QJsonDocument::fromJson(TestEnv::ctl(m_home.path(), {QStringLiteral("--json"), QStringLiteral("list"),
                                                                    QStringLiteral("--profile"), profile})
                                           .out)
            .array();
    }

private slots:
    void initTestCase() {
        Q_INIT_RESOURCE(lifeboat);
        QVERIFY2(!TestEnv::fixture(QStringLiteral("pg")).isEmpty(), "the pg fixture is not running");
        for (const char *db : {"wp_src", "wp_prod"})
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(QLatin1String(db)));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE wp_src"));
        TestEnv::psql(QStringLiteral("wp_src"),
                      QStringLiteral("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1), (2)"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE wp_prod"));
        TestEnv::psql(QStringLiteral("wp_prod"),
                      QStringLiteral("CREATE TABLE marker (v text); INSERT INTO marker VALUES ('before')"));

        m_ctx = std::make_unique<AppContext>(m_home.path());
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        QVERIFY(m_ctx->updateConfig(
            [this](ConfigStore &c) {
                StorageConfig s;
                s.name = QStringLiteral("disk");
                s.localDir = m_home.filePath(QStringLiteral("backups"));
                c.upsertStorage(s);
                Profile shop;
                shop.name = QStringLiteral("shop");
                shop.conninfo = TestEnv::pgConninfo(QStringLiteral("wp_src"));
                shop.defaultStorages = {QStringLiteral("disk")};
                c.upsertProfile(shop);
                Profile prod = shop;
                prod.name = QStringLiteral("prod");
                prod.conninfo = TestEnv::pgConninfo(QStringLiteral("wp_prod"));
                prod.production = true;
                c.upsertProfile(prod);
                c.setOption(QStringLiteral("pgToolDir"),
                            TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_BIN")));
            },
            &err));
        QVERIFY2(TestEnv::pgConninfo(QStringLiteral("wp_prod")).contains(QStringLiteral("127.0.0.1")),
                 qPrintable(TestEnv::pgConninfo(QStringLiteral("wp_prod"))));
        m_window = std::make_unique<MainWindow>(m_ctx.get());
        m_window->resize(1180, 780);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));

        Job *job = nullptr;
        QString why;
        m_ctx->startBackup(QStringLiteral("shop"), {QStringLiteral("disk")}, BackupOptions{}, {},
                           [&](Job *j, const QString &e) {
                               job = j;
                               why = e;
                           });
        QVERIFY2(QTest::qWaitFor([&] { return job || !why.isEmpty(); }, 20000) && job, qPrintable(why));
        QSignalSpy done(job, &Job::finished);
        QVERIFY(done.wait(300000));
        const JobResult r = done.first().first().value<JobResult>();
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        m_backupId = r.recordId;
    }

    void typedUriToProductionServerGetsTheGuard() {
        m_window->showPage(MainWindow::Restore);
        m_ctx->requestRestore(QString::number(m_backupId));
        QTRY_COMPARE_WITH_TIMEOUT(wizard()->currentId(), int(RestoreWizard::InspectId), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(wizard()->inspectPage()->isComplete(), 60000);
        wizard()->next();
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::TargetId));
        RestoreTargetPage *t = wizard()->targetPage();
        t->setServer(QString()); // another server, by connection URI — not the production profile
        const QString port = TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_PORT"));
        QVERIFY(GuiTyping::replaceText(t->uriField(),
                                       QStringLiteral("postgresql://postgres@localhost:%1/postgres").arg(port)));
        QVERIFY(GuiTyping::replaceText(t->databaseField(), QStringLiteral("wp_prod")));
        t->createBox()->setChecked(false);
        QVERIFY(t->isComplete());
        wizard()->next();
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::SafetyId));
        RestoreSafetyPage *s = wizard()->safetyPage();
        QTRY_VERIFY_WITH_TIMEOUT(!s->isChecking(), 60000);

        // The production treatment: the warning names the production profile, the safety backup is offered and on.
        QLabel *warning = nullptr;
        for (QLabel *l : s->findChildren<QLabel *>())
            if (l->accessibleName() == QLatin1String("Production warning"))
                warning = l;
        QVERIFY(warning);
        QVERIFY2(warning->isVisible(), qPrintable(s->blocker()));
        QVERIFY2(warning->text().contains(QStringLiteral("prod")), qPrintable(warning->text()));
        QVERIFY(s->safetyBackupBox()->isVisible());
        QVERIFY(s->safetyBackupBox()->isChecked());
        // The typed confirmation.
        QVERIFY(s->confirmField()->isVisible());
        QVERIFY(!s->isComplete());
        // Without the safety backup: refused until the override is ticked (and the name typed).
        s->safetyBackupBox()->setChecked(false);
        QTRY_VERIFY_WITH_TIMEOUT(!s->isChecking(), 60000);
        QVERIFY(GuiTyping::replaceText(s->confirmField(), QStringLiteral("wp_prod")));
        QVERIFY(s->overrideBox()->isVisible());
        QVERIFY(!s->isComplete());
        QVERIFY2(s->blocker().contains(QStringLiteral("production")), qPrintable(s->blocker()));
        s->safetyBackupBox()->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(!s->isChecking(), 60000);
        QVERIFY(GuiTyping::replaceText(s->confirmField(), QStringLiteral("wp_prod")));
        QVERIFY2(s->isComplete(), qPrintable(s->blocker()));
        QCOMPARE(backupsOf(QStringLiteral("prod")).size(), 0);

        // The restore takes the safety backup of wp_prod first (a backup of profile "prod"), then restores.
        QTest::mouseClick(nextButton(), Qt::LeftButton);
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::RunId));
        RestoreRunPage *run = wizard()->runPage();
        QTRY_VERIFY_WITH_TIMEOUT(run->isFinished(), 180000);
        QVERIFY2(wizard()->runOk(), qPrintable(wizard()->runError() + run->logView()->toPlainText()));
        const QJsonArray safety = backupsOf(QStringLiteral("prod"));
        QCOMPARE(safety.size(), 1);
        QCOMPARE(safety.at(0)[QStringLiteral("database")].toString(), QStringLiteral("wp_prod"));
        QCOMPARE(psql(QStringLiteral("wp_prod"), QStringLiteral("SELECT count(*) FROM orders")), QStringLiteral("2"));
        QCOMPARE(psql(QStringLiteral("wp_prod"), QStringLiteral("SELECT v FROM marker")), QStringLiteral("before"));
    }

    void cleanupTestCase() {
        m_window.reset();
        m_ctx.reset();
    }
};

QTEST_MAIN(TestWizardProduction)
#include "tst_gui_wizardproduction.moc"
