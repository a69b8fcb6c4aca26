#include "RestoreWizardFixture.h"

#include "jobs/JobRunner.h"
#include "models/BackupHistoryModel.h"
#include "models/JobListModel.h"
#include "models/RestorePlanModel.h"
#include "pg/Conninfo.h"
#include "pg/PgSession.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/restore/RestoreChoosePage.h"
#include "ui/restore/RestoreInspectPage.h"
#include "ui/restore/RestorePage.h"
#include "ui/restore/RestoreReportPage.h"
#include "ui/restore/RestoreRunPage.h"
#include "ui/restore/RestoreSafetyPage.h"
#include "ui/restore/RestoreTargetPage.h"
#include "ui/restore/RestoreWizard.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace lifeboat;

// The restore wizard against the pg fixture, driven through its widgets as an operator would: a real backup made
// by the app → chosen → inspected → restored into a NEW database → the report passes and psql sees the data. The
// refusal paths (a wrong typed name; production without a safety backup) keep “Restore” disabled and leave the
// target unchanged; Cancel on the run page leaves the wizard and the server in a safe, stated state. Screenshots of
// every step (set LIFEBOAT_SCREENSHOT_DIR=…/docs/screenshots to refresh the documentation's copies). A newer
// archive, an encrypted backup, a backup in S3 and History's actions are in tst_gui_restorewizard_sources.
static constexpr const char *kDatabases[] = {"wiz_src",       "wiz_restored", "wiz_existing", "wiz_prod",
                                             "wiz_cancelled", "wiz_partial",  "wiz_big",      "wiz_big_copy"};

class TestRestoreWizard : public QObject, private RestoreWizardFixture {
    Q_OBJECT
private:
    qint64 m_bigId = 0;

private slots:
    void initTestCase() {
        Q_INIT_RESOURCE(lifeboat);
        QVERIFY2(!TestEnv::fixture(QStringLiteral("pg")).isEmpty(), "the pg fixture is not running");
        for (const char *db : kDatabases)
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(QLatin1String(db)));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE wiz_src"));
        // Big enough (~100 MB) that its restore is still loading data when Cancel is clicked.
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE wiz_big"));
        TestEnv::psql(QStringLiteral("wiz_big"),
                      QStringLiteral("CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS "
                                     "payload FROM generate_series(1, 1200000) g"));
        fillShopDatabase(QStringLiteral("wiz_src"));
        // Existing targets: a plain one and a production one, each with a marker the refusals must not touch.
        for (const char *db : {"wiz_existing", "wiz_prod"}) {
            TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(QLatin1String(db)));
            TestEnv::psql(QLatin1String(db),
                          QStringLiteral("CREATE TABLE marker (v text); INSERT INTO marker VALUES ('untouched')"));
        }

        m_shots = qEnvironmentVariable("LIFEBOAT_SCREENSHOT_DIR");
        if (m_shots.isEmpty())
            m_shots = m_tmp.filePath(QStringLiteral("shots"));
        QDir().mkpath(m_shots);

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
                shop.conninfo = TestEnv::pgConninfo(QStringLiteral("wiz_src"));
                shop.defaultStorages = {QStringLiteral("disk")};
                c.upsertProfile(shop);
                Profile prod = shop;
                prod.name = QStringLiteral("prod");
                prod.conninfo = TestEnv::pgConninfo(QStringLiteral("wiz_prod"));
                prod.production = true;
                c.upsertProfile(prod);
                Profile big = shop;
                big.name = QStringLiteral("big");
                big.conninfo = TestEnv::pgConninfo(QStringLiteral("wiz_big"));
                c.upsertProfile(big);
                c.setOption(QStringLiteral("pgToolDir"),
                            TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_BIN")));
            },
            &err));
        m_window = std::make_unique<MainWindow>(m_ctx.get());
        m_window->resize(1180, 780);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));

        // Real backups made by the app, as an operator would (Back up now).
        m_backupId = backup(QStringLiteral("shop"));
        QVERIFY(m_backupId > 0);
        m_bigId = backup(QStringLiteral("big"));
        QVERIFY(m_bigId > 0);
    }

    void chooseListsCompletedBackups() {
        m_window->showPage(MainWindow::Restore);
        RestoreWizard *w = wizard();
        QCOMPARE(w->currentId(), int(RestoreWizard::ChooseId));
        RestoreChoosePage *c = w->choosePage();
        QTRY_VERIFY_WITH_TIMEOUT(c->isLoaded(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(c->list()->topLevelItemCount(), 2, 10000);
        // Newest first.
        QCOMPARE(c->list()->topLevelItem(1)->text(0), QString::number(m_backupId));
        QCOMPARE(c->list()->topLevelItem(1)->text(3), QStringLiteral("wiz_src"));
        QVERIFY(!w->button(QWizard::NextButton)->isEnabled()); // nothing chosen yet
        // The filter takes what is typed into it (every key: none strays to the toolbar's profile or the sidebar).
        QVERIFY(typeInto(c->filterField(), QStringLiteral("no such backup")));
        QVERIFY(c->list()->topLevelItem(1)->isHidden());
        QVERIFY(typeInto(c->filterField(), QStringLiteral("wiz_src")));
        QVERIFY(!c->list()->topLevelItem(1)->isHidden());
        QVERIFY(c->list()->topLevelItem(0)->isHidden());
        c->list()->setCurrentItem(c->list()->topLevelItem(1));
        QVERIFY(w->button(QWizard::NextButton)->isEnabled());
        QCOMPARE(c->spec(), QString::number(m_backupId));
        // A file through the FileDialog seam.
        const QString file = m_tmp.filePath(QStringLiteral("some.dump"));
        FileDialog::setNextFileName(file);
        QTest::mouseClick(c->browseButton(), Qt::LeftButton);
        QTRY_COMPARE(c->fileField()->text(), file);
        QVERIFY(c->fromFile()->isChecked());
        QCOMPARE(c->spec(), file);
        c->fromCatalog()->setChecked(true);
        c->fileField()->clear();
        c->filterField()->clear();
        c->list()->setCurrentItem(c->list()->topLevelItem(1));
        shot(QStringLiteral("1-choose"));
    }

    void targetFieldsTakeEveryKey() {
        // Every key typed into the target page's fields stays there: each key re-runs the page's checks, and that
        // refresh once handed the focus to the toolbar's profile switcher ("barsdb" left "b" in the field and
        // switched the profile or the page with the rest).
        QVERIFY(toTarget(QStringLiteral("shop"), QStringLiteral("barsdb"), true));
        RestoreTargetPage *t = wizard()->targetPage();
        t->setServer(QString()); // another server, by connection URI
        QVERIFY(t->uriField()->isEnabled());
        QVERIFY(typeInto(t->uriField(), QStringLiteral("postgresql://lifeboat@127.0.0.1:5432/postgres")));
        QVERIFY(typeInto(t->databaseField(), QStringLiteral("gw_existing")));
        QVERIFY(t->isComplete());
        QVERIFY(nextButton()->isEnabled());
        wizard()->reject();
        QTRY_COMPARE(wizard()->currentId(), int(RestoreWizard::ChooseId));
    }

    void walkRestoresIntoNewDatabase() {
        QVERIFY(toTarget(QStringLiteral("shop"), QStringLiteral("wiz_restored"), true));
        // Inspect showed the backup (checked here, after the fact, on the page that showed it).
        RestoreInspectPage *in = wizard()->inspectPage();
        QCOMPARE(in->detail(QStringLiteral("database")), QStringLiteral("wiz_src"));
        QCOMPARE(in->detail(QStringLiteral("profile")), QStringLiteral("shop"));
        QCOMPARE(in->detail(QStringLiteral("encrypted")), QStringLiteral("no"));
        QVERIFY2(in->detail(QStringLiteral("client")).contains(QStringLiteral("pg_restore")),
                 qPrintable(in->detail(QStringLiteral("client"))));
        QVERIFY(in->detail(QStringLiteral("format")).contains(QStringLiteral("custom")));
        const RestorePlan &plan = in->planModel()->plan();
        QVERIFY(plan.findTable(QStringLiteral("public.orders")) >= 0);
        QVERIFY(plan.findTable(QStringLiteral("public.Audit Log")) >= 0);
        QCOMPARE(in->planModel()->selectedDumpIds().size(), plan.entries().size());
        wizard()->back();
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::InspectId));
        in->tree()->expandAll();
        shot(QStringLiteral("2-inspect"));
        wizard()->next();
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::TargetId));
        QCOMPARE(wizard()->targetPage()->databaseField()->text(), QStringLiteral("wiz_restored"));
        // The jobs are Lifeboat's choice unless the operator sets a number, as with `lifeboatctl restore`.
        QCOMPARE(wizard()->targetPage()->jobsField()->value(), RestoreOptions::kAutoJobs);
        QCOMPARE(wizard()->targetPage()->jobsField()->text(), QStringLiteral("Automatic"));
        shot(QStringLiteral("3-target"));

        wizard()->next();
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::SafetyId));
        RestoreSafetyPage *s = wizard()->safetyPage();
        QTRY_VERIFY_WITH_TIMEOUT(!s->isChecking(), 60000);
        QVERIFY2(s->isComplete(), qPrintable(s->blocker()));
        QVERIFY(nextButton()->isEnabled());
        QVERIFY(!s->confirmField()->isVisible()); // a new database needs no typed name
        QStringList ids;
        for (const SafetyCheck &c : s->shownChecks())
            ids << c.id;
        for (const char *id : {"integrity", "archive", "target", "client", "readable", "database", "connections"})
            QVERIFY2(ids.contains(QLatin1String(id)), id);
        QVERIFY(!dbExists(QStringLiteral("wiz_restored"))); // the checks touched nothing
        shot(QStringLiteral("4-safety"));

        const int jobsBefore = m_ctx->jobs()->rowCount();
        QTest::mouseClick(nextButton(), Qt::LeftButton);
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::RunId));
        RestoreRunPage *run = wizard()->runPage();
        QTRY_VERIFY_WITH_TIMEOUT(run->isFinished(), 120000);
        QVERIFY2(wizard()->runOk(), qPrintable(wizard()->runError() + run->logView()->toPlainText()));
        QCOMPARE(m_ctx->jobs()->rowCount(), jobsBefore + 1); // tracked on the Jobs page
        // Named for people (it read "Restore of 12 into …"), and the bytes pg_restore read are counted ("0 bytes").
        const QString jobTitle = m_ctx->jobs()->index(jobsBefore, 0).data().toString();
        QVERIFY2(jobTitle.startsWith(QStringLiteral("Restore of backup #")), qPrintable(jobTitle));
        const QString runLog = run->logView()->toPlainText();
        QVERIFY2(runLog.contains(QStringLiteral("restore into \"wiz_restored\" complete")),
                 qPrintable(runLog.right(300)));
        QVERIFY2(!runLog.contains(QStringLiteral("item(s), 0 bytes")), qPrintable(runLog.right(300)));
        // The shop's orders hold 81 % of its rows: one COPY dominates, so the automatic choice streams.
        QVERIFY2(runLog.contains(QStringLiteral("restore with one pg_restore job: ")), qPrintable(runLog.left(900)));
        QCOMPARE(run->progressBar()->value(), run->progressBar()->maximum());
        QVERIFY(run->progressBar()->maximum() > 5);
        QVERIFY(run->stateLabel()->text().contains(QStringLiteral("completed")));
        shot(QStringLiteral("5-run"));

        QTest::qWait(2000); // the operator reads the log before opening the report
        QTest::mouseClick(nextButton(), Qt::LeftButton);
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::ReportId));
        RestoreReportPage *rep = wizard()->reportPage();
        QTRY_VERIFY_WITH_TIMEOUT(rep->isReady(), 60000);
        QVERIFY2(rep->report().passed(), QJsonDocument(rep->report().toJson()).toJson().constData());
        QVERIFY(rep->outcomeLabel()->text().contains(QStringLiteral("verified")));
        bool rowsChecked = false;
        for (const VerifyReport::Check &c : rep->report().checks) {
            if (c.id == QLatin1String("row-counts")) {
                rowsChecked = c.passed && !c.skipped && c.rows.size() == 3;
                QCOMPARE(c.summary, QStringLiteral("3 of 3 tables match"));
            }
        }
        QVERIFY(rowsChecked);
        // Every line of the report is true (issue 20, item 5): the safety checks' items are named, the duration
        // covers the restore, the restored database is kept.
        const QTreeWidget *tree = rep->findChild<QTreeWidget *>();
        QVERIFY(tree);
        bool safetyItemsNamed = false;
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            const QTreeWidgetItem *top = tree->topLevelItem(i);
            if (!top->text(0).startsWith(QStringLiteral("Safety checks")))
                continue;
            QVERIFY(top->childCount() > 0);
            safetyItemsNamed = true;
            for (int k = 0; k < top->childCount(); ++k) {
                QVERIFY2(!top->child(k)->text(0).isEmpty(), "a safety check item without a name");
                QVERIFY2(!top->child(k)->text(2).contains(QStringLiteral("expected 0 rows")),
                         qPrintable(top->child(k)->text(2)));
            }
        }
        QVERIFY(safetyItemsNamed);
        qint64 restoreMs = 0;
        for (const VerifyReport::Check &c : rep->report().checks) {
            if (c.id == QLatin1String("restore"))
                restoreMs = c.durationMs;
        }
        QVERIFY(restoreMs > 0);
        QVERIFY2(rep->report().started.msecsTo(rep->report().finished) >= restoreMs,
                 "the report's duration must cover the restore");
        // … and not the time the operator took to open the report.
        QVERIFY2(rep->report().finished <= wizard()->runFinished().addMSecs(1500),
                 qPrintable(rep->report().finished.toString(Qt::ISODateWithMs) + QStringLiteral(" vs run end ") +
                            wizard()->runFinished().toString(Qt::ISODateWithMs)));
        // Exports through the FileDialog seam: the operator names the file.
        QSignalSpy exported(rep, &RestoreReportPage::exported);
        const QString out = m_tmp.filePath(QStringLiteral("reports"));
        QDir().mkpath(out);
        FileDialog::setNextFileName(out + QStringLiteral("/after-restore.json"));
        QTest::mouseClick(rep->exportJsonButton(), Qt::LeftButton);
        QVERIFY(exported.wait(10000));
        QCOMPARE(exported.last().first().toString(), out + QStringLiteral("/after-restore.json"));
        QFile json(exported.last().first().toString());
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject jo = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(jo.value(QStringLiteral("passed")).toBool(), true);
        QCOMPARE(jo.value(QStringLiteral("kind")).toString(), QStringLiteral("restore"));
        QCOMPARE(jo.value(QStringLiteral("database")).toString(), QStringLiteral("wiz_restored"));
        FileDialog::setNextFileName(out + QStringLiteral("/after-restore.html"));
        QTest::mouseClick(rep->exportHtmlButton(), Qt::LeftButton);
        QVERIFY(exported.wait(10000));
        QFile html(exported.last().first().toString());
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QString page = QString::fromUtf8(html.readAll());
        QVERIFY(page.contains(QStringLiteral("<h1>Restore report</h1>")));
        QVERIFY(page.contains(QStringLiteral("wiz_restored (kept)")));
        QVERIFY(!page.contains(QStringLiteral("(dropped)")));
        QVERIFY(!page.contains(QStringLiteral("Verification report")));
        shot(QStringLiteral("6-report"));

        // The data is really there, equal to the source.
        const QString sum = QStringLiteral("SELECT count(*), sum(total), (SELECT count(*) FROM customers), "
                                           "(SELECT count(*) FROM \"Audit Log\") FROM orders");
        QCOMPARE(psql(QStringLiteral("wiz_restored"), sum), psql(QStringLiteral("wiz_src"), sum));
        QCOMPARE(psql(QStringLiteral("wiz_restored"), QStringLiteral("SELECT count(*) FROM orders")),
                 QStringLiteral("3000"));

        // Finish starts over with a fresh wizard.
        RestoreWizard *old = wizard();
        wizard()->button(QWizard::FinishButton)->click();
        QTRY_VERIFY(wizard() != old);
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::ChooseId));
    }

    void wrongTypedNameKeepsRestoreDisabled() {
        // Someone is connected to the target: the page lists the session and offers to end it.
        Error perr;
        PgSession other;
        QVERIFY(other.connect(Conninfo::parse(TestEnv::pgConninfo(QStringLiteral("wiz_existing")), &perr), {}));
        QVERIFY(toSafety(QStringLiteral("shop"), QStringLiteral("wiz_existing"), false));
        RestoreSafetyPage *s = wizard()->safetyPage();
        QVERIFY(s->connectionsList()->isVisible());
        QVERIFY(s->connectionsList()->count() >= 1);
        QVERIFY(s->terminateBox()->isVisible());
        QVERIFY(typeInto(s->confirmField(), QStringLiteral("wiz_existing")));
        QVERIFY(!s->isComplete()); // the name is right, but a session is still connected
        QVERIFY2(s->blocker().contains(QStringLiteral("session")), qPrintable(s->blocker()));
        s->terminateBox()->setChecked(true);
        QVERIFY2(s->isComplete(), qPrintable(s->blocker()));
        s->terminateBox()->setChecked(false);
        s->confirmField()->clear();
        other.close();
        wizard()->safetyPage()->runChecks();
        QTRY_VERIFY_WITH_TIMEOUT(!s->isChecking(), 60000);
        QVERIFY(!s->connectionsList()->isVisible());
        QVERIFY(s->confirmField()->isVisible());
        QVERIFY(!s->isComplete());
        QVERIFY(!nextButton()->isEnabled());
        QVERIFY(typeInto(s->confirmField(), QStringLiteral("wiz_existin")));
        QVERIFY(!s->isComplete());
        QVERIFY(!nextButton()->isEnabled());
        QVERIFY2(s->blocker().contains(QStringLiteral("does not match")), qPrintable(s->blocker()));
        // Next anyway (keyboard or a script): the page refuses to move on.
        wizard()->next();
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::SafetyId));
        QVERIFY(typeInto(s->confirmField(), QStringLiteral("g"), false));
        QCOMPARE(s->confirmField()->text(), QStringLiteral("wiz_existing"));
        QVERIFY2(s->isComplete(), qPrintable(s->blocker()));
        QVERIFY(nextButton()->isEnabled());
        // The checks speak of the wizard's fields, never of lifeboatctl's options (issue 20, item 10).
        for (const SafetyCheck &c : s->shownChecks())
            QVERIFY2(!c.detail.contains(QStringLiteral("--")), qPrintable(c.title + QStringLiteral(": ") + c.detail));
        // Left without restoring: Back, and the database is as it was.
        wizard()->back();
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::TargetId));
        QCOMPARE(psql(QStringLiteral("wiz_existing"), QStringLiteral("SELECT v FROM marker")),
                 QStringLiteral("untouched"));
    }

    void newDatabaseWithAnExistingNameSaysWhatToDoInTheWizard() {
        QVERIFY(toSafety(QStringLiteral("shop"), QStringLiteral("wiz_existing"), true));
        RestoreSafetyPage *s = wizard()->safetyPage();
        QVERIFY(!s->isComplete());
        const QString b = s->blocker();
        QVERIFY2(b.contains(QStringLiteral("already exists")), qPrintable(b));
        QVERIFY2(!b.contains(QStringLiteral("--create")) && !b.contains(QStringLiteral("--confirm")), qPrintable(b));
        for (const SafetyCheck &c : s->shownChecks())
            QVERIFY2(!c.detail.contains(QStringLiteral("--")), qPrintable(c.title + QStringLiteral(": ") + c.detail));
        wizard()->reject();
        QTRY_COMPARE(wizard()->currentId(), int(RestoreWizard::ChooseId));
        QCOMPARE(psql(QStringLiteral("wiz_existing"), QStringLiteral("SELECT v FROM marker")),
                 QStringLiteral("untouched"));
    }

    void productionWithoutSafetyBackupIsRefused() {
        QVERIFY(toSafety(QStringLiteral("prod"), QStringLiteral("wiz_prod"), false));
        RestoreSafetyPage *s = wizard()->safetyPage();
        QVERIFY(typeInto(s->confirmField(), QStringLiteral("wiz_prod")));
        QVERIFY(s->safetyBackupBox()->isVisible());
        QVERIFY(s->safetyBackupBox()->isChecked());
        // With the safety backup (the profile has a storage for it) everything passes.
        QVERIFY2(s->isComplete(), qPrintable(s->blocker()));
        // Without it: refused until the explicit override is ticked.
        s->safetyBackupBox()->setChecked(false);
        QTRY_VERIFY_WITH_TIMEOUT(!s->isChecking(), 60000);
        QVERIFY(s->overrideBox()->isVisible());
        QVERIFY(!s->isComplete());
        QVERIFY(!nextButton()->isEnabled());
        QVERIFY2(s->blocker().contains(QStringLiteral("production")), qPrintable(s->blocker()));
        wizard()->next();
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::SafetyId));
        shot(QStringLiteral("4-safety-refused"));
        // The override needs the typed name too.
        s->confirmField()->clear();
        s->overrideBox()->setChecked(true);
        QVERIFY(!s->isComplete());
        QVERIFY(typeInto(s->confirmField(), QStringLiteral("wiz_prod")));
        QVERIFY2(s->isComplete(), qPrintable(s->blocker()));
        s->overrideBox()->setChecked(false);
        QVERIFY(!s->isComplete());
        wizard()->reject(); // leave: nothing running, the wizard starts over
        QTRY_COMPARE(wizard()->currentId(), int(RestoreWizard::ChooseId));
        QCOMPARE(psql(QStringLiteral("wiz_prod"), QStringLiteral("SELECT v FROM marker")), QStringLiteral("untouched"));
        QCOMPARE(psql(QStringLiteral("wiz_prod"),
                      QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")),
                 QStringLiteral("1"));
    }

    void cancelOnRunPageLeavesSafeState() {
        QVERIFY(toSafety(QStringLiteral("shop"), QStringLiteral("wiz_cancelled"), true));
        QVERIFY2(wizard()->safetyPage()->isComplete(), qPrintable(wizard()->safetyPage()->blocker()));
        QTest::mouseClick(nextButton(), Qt::LeftButton);
        RestoreRunPage *run = wizard()->runPage();
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::RunId));
        QVERIFY(run->isRunning());
        // Closing the wizard while it runs asks; "No" keeps it running.
        MessageBox::setNextAnswer(QMessageBox::No);
        wizard()->reject();
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::RunId));
        QVERIFY(!nextButton()->isEnabled());
        QTest::mouseClick(run->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(run->isFinished(), 60000);
        QVERIFY(!wizard()->runOk());
        const QString state = run->stateLabel()->text();
        QVERIFY2(state.contains(QStringLiteral("cancelled")), qPrintable(state));
        QVERIFY2(state.contains(QStringLiteral("Nothing was changed")) ||
                     state.contains(QStringLiteral("dropped again")),
                 qPrintable(state));
        QVERIFY(!dbExists(QStringLiteral("wiz_cancelled")));
        QCOMPARE(m_ctx->jobs()->state(m_ctx->jobs()->rowCount() - 1), JobListModel::State::Cancelled);
        // The report says so, and the wizard can be closed.
        QVERIFY(nextButton()->isEnabled());
        QTest::mouseClick(nextButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(wizard()->reportPage()->isReady(), 30000);
        QVERIFY(!wizard()->reportPage()->report().passed());
        QVERIFY(wizard()->reportPage()->outcomeLabel()->text().contains(QStringLiteral("did not complete")));
        RestoreWizard *old = wizard();
        wizard()->button(QWizard::FinishButton)->click();
        QTRY_VERIFY(wizard() != old);
    }

    void selectiveRestoreOfOneTable() {
        QVERIFY(toTarget(QStringLiteral("shop"), QStringLiteral("wiz_partial"), true));
        wizard()->back();
        RestorePlanModel *m = wizard()->inspectPage()->planModel();
        m->setAllChecked(false);
        QVERIFY(!wizard()->inspectPage()->isComplete()); // nothing chosen: nothing to restore
        const int customers = m->plan().findTable(QStringLiteral("public.customers"));
        QVERIFY(customers >= 0);
        QVERIFY(m->setData(m->indexForEntry(customers), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(wizard()->inspectPage()->isComplete());
        wizard()->next();
        wizard()->next();
        QCOMPARE(wizard()->options().tables, QStringList{QStringLiteral("\"public\".\"customers\"")});
        QTRY_VERIFY_WITH_TIMEOUT(!wizard()->safetyPage()->isChecking(), 60000);
        QVERIFY2(wizard()->safetyPage()->isComplete(), qPrintable(wizard()->safetyPage()->blocker()));
        QTest::mouseClick(nextButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(wizard()->runPage()->isFinished(), 120000);
        QVERIFY2(wizard()->runOk(), qPrintable(wizard()->runError()));
        QTest::mouseClick(nextButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(wizard()->reportPage()->isReady(), 60000);
        QVERIFY(wizard()->reportPage()->report().passed());
        for (const VerifyReport::Check &c : wizard()->reportPage()->report().checks)
            if (c.id == QLatin1String("row-counts"))
                QCOMPARE(c.summary, QStringLiteral("1 of 1 tables match"));
        QCOMPARE(psql(QStringLiteral("wiz_partial"), QStringLiteral("SELECT count(*) FROM customers")),
                 QStringLiteral("500"));
        QCOMPARE(psql(QStringLiteral("wiz_partial"),
                      QStringLiteral("SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'")),
                 QStringLiteral("customers"));
        wizard()->button(QWizard::FinishButton)->click();
        QTRY_COMPARE(wizard()->currentId(), int(RestoreWizard::ChooseId));
    }

    void cancelWhileLoadingDataStatesTheTarget() {
        QVERIFY(toSafety(QStringLiteral("big"), QStringLiteral("wiz_big_copy"), true, m_bigId));
        QVERIFY2(wizard()->safetyPage()->isComplete(), qPrintable(wizard()->safetyPage()->blocker()));
        QTest::mouseClick(nextButton(), Qt::LeftButton);
        RestoreRunPage *run = wizard()->runPage();
        // Cancel once pg_restore is loading the table's rows: the database exists and is half-filled.
        QTRY_VERIFY_WITH_TIMEOUT(run->logView()->toPlainText().contains(QStringLiteral("processing data for table")) ||
                                     run->isFinished(),
                                 120000);
        QVERIFY2(!run->isFinished(), "the restore finished before it could be cancelled");
        QVERIFY(dbExists(QStringLiteral("wiz_big_copy")));
        QTest::mouseClick(run->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(run->isFinished(), 60000);
        QVERIFY(!wizard()->runOk());
        const QString state = run->stateLabel()->text();
        QVERIFY2(state.contains(QStringLiteral("cancelled")), qPrintable(state));
        // The page says what state the target is in, and it is that state.
        if (state.contains(QStringLiteral("dropped again")))
            QVERIFY(!dbExists(QStringLiteral("wiz_big_copy")));
        else
            QVERIFY2(state.contains(QStringLiteral("partly restored")) && dbExists(QStringLiteral("wiz_big_copy")),
                     qPrintable(state));
        QTest::mouseClick(nextButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(wizard()->reportPage()->isReady(), 30000);
        QVERIFY(!wizard()->reportPage()->report().passed());
        wizard()->button(QWizard::FinishButton)->click();
        QTRY_COMPARE(wizard()->currentId(), int(RestoreWizard::ChooseId));
    }

    void cleanupTestCase() {
        m_window.reset();
        m_ctx.reset();
        for (const char *db : kDatabases)
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(QLatin1String(db)));
    }
};

QTEST_MAIN(TestRestoreWizard)
#include "tst_gui_restorewizard.moc"
