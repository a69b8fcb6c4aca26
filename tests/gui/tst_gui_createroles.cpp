// The restore wizard's "Create missing roles first" (issue 18 item 5): offered only for a backup that kept its
// server's roles (profile globals), ticked through the focus chain as an operator does, named by the safety checks
// and the typed confirmation, and carried out by the restore: the fresh target gets the roles, their memberships
// and the grants that name them. Two throwaway clusters started here (roles are server-wide, so not the shared
// fixture), the app's own backups, a real restore.
#include "../integration/WalTestCluster.h"
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
#include "ui/settings/ProfileDialog.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestCreateRoles : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QTemporaryDir m_tmp;
    std::unique_ptr<WalTestCluster> m_source;
    std::unique_ptr<WalTestCluster> m_target;
    std::unique_ptr<AppContext> m_ctx;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_withRoles = 0;
    qint64 m_withoutRoles = 0;

    RestoreWizard *wizard() const {
        return qobject_cast<RestorePage *>(m_window->pageWidget(MainWindow::Restore))->wizard();
    }
    QAbstractButton *nextButton() const {
        QAbstractButton *commit = wizard()->button(QWizard::CommitButton);
        return commit->isVisible() ? commit : wizard()->button(QWizard::NextButton);
    }
    static QString sql(const WalTestCluster &c, const QString &db, const QString &statement) {
        const auto r = TestEnv::run(c.binDir() + QStringLiteral("/psql"),
                                    {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"),
                                     QStringLiteral("-t"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                                     QStringLiteral("-p"), QString::number(c.port()), QStringLiteral("-U"),
                                     QStringLiteral("postgres"), QStringLiteral("-d"), db, QStringLiteral("-v"),
                                     QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"), statement});
        return QString::fromUtf8(r.exitCode == 0 ? r.out : "ERROR: " + r.err).trimmed();
    }
    qint64 backup(const QString &profile) {
        Job *job = nullptr;
        QString why;
        m_ctx->startBackup(profile, {QStringLiteral("disk")}, BackupOptions{}, {}, [&](Job *j, const QString &e) {
            job = j;
            why = e;
        });
        if (!QTest::qWaitFor([&] { return job || !why.isEmpty(); }, 20000) || !job) {
            qWarning("backup of %s not started: %s", qPrintable(profile), qPrintable(why));
            return 0;
        }
        QSignalSpy done(job, &Job::finished);
        if (!done.wait(300000))
            return 0;
        const JobResult r = done.first().first().value<JobResult>();
        if (!r.ok())
            qWarning("backup of %s failed: %s", qPrintable(profile), qPrintable(r.error.message));
        return r.recordId;
    }
    bool toTarget(qint64 id, const QString &db) {
        m_window->showPage(MainWindow::Restore);
        m_ctx->requestRestore(QString::number(id));
        if (!QTest::qWaitFor([this] { return wizard()->currentId() == RestoreWizard::InspectId; }, 20000))
            return false;
        if (!QTest::qWaitFor([this] { return wizard()->inspectPage()->isComplete(); }, 60000))
            return false;
        wizard()->next();
        if (wizard()->currentId() != RestoreWizard::TargetId)
            return false;
        RestoreTargetPage *t = wizard()->targetPage();
        t->setServer(QStringLiteral("fresh"));
        if (!GuiTyping::replaceText(t->databaseField(), db) || t->databaseField()->text() != db)
            return false;
        return t->isComplete();
    }

private slots:
    void initTestCase() {
        Q_INIT_RESOURCE(lifeboat);
        QVERIFY(WalTestCluster::owned(m_tmp.path()));
        QString why;
        m_source = std::make_unique<WalTestCluster>(m_tmp.filePath(QStringLiteral("source")));
        QVERIFY2(m_source->start({}, QProcessEnvironment::systemEnvironment(), &why), qPrintable(why));
        m_target = std::make_unique<WalTestCluster>(m_tmp.filePath(QStringLiteral("target")));
        QVERIFY2(m_target->start({}, QProcessEnvironment::systemEnvironment(), &why), qPrintable(why));
        QCOMPARE(sql(*m_source, QStringLiteral("postgres"),
                     QStringLiteral("CREATE ROLE app_owner LOGIN; CREATE ROLE readers NOLOGIN; CREATE ROLE reader "
                                    "LOGIN; GRANT readers TO reader")),
                 QString());
        QCOMPARE(sql(*m_source, QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE shop OWNER app_owner")),
                 QString());
        QCOMPARE(sql(*m_source, QStringLiteral("shop"),
                     QStringLiteral("SET ROLE app_owner; CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders "
                                    "SELECT generate_series(1, 20); GRANT SELECT ON orders TO readers")),
                 QString());

        m_ctx = std::make_unique<AppContext>(m_home.path());
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        QVERIFY(m_ctx->updateConfig(
            [this](ConfigStore &c) {
                StorageConfig s;
                s.name = QStringLiteral("disk");
                s.localDir = m_home.filePath(QStringLiteral("backups"));
                c.upsertStorage(s);
                Profile src;
                src.name = QStringLiteral("src");
                src.conninfo = QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=shop").arg(m_source->port());
                src.defaultStorages = {QStringLiteral("disk")};
                src.globals = true;
                c.upsertProfile(src);
                Profile plain = src;
                plain.name = QStringLiteral("plain");
                plain.globals = false;
                c.upsertProfile(plain);
                Profile fresh;
                fresh.name = QStringLiteral("fresh");
                fresh.conninfo =
                    QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=postgres").arg(m_target->port());
                c.upsertProfile(fresh);
                c.setOption(QStringLiteral("pgToolDir"), m_source->binDir());
            },
            &err));
        m_window = std::make_unique<MainWindow>(m_ctx.get());
        m_window->resize(1180, 780);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_withRoles = backup(QStringLiteral("src"));
        QVERIFY(m_withRoles > 0);
        m_withoutRoles = backup(QStringLiteral("plain"));
        QVERIFY(m_withoutRoles > 0);
    }

    void theProfileDialogKeepsTheRolesSetting() {
        const Profile src = *m_ctx->config().profile(QStringLiteral("src"));
        const Profile plain = *m_ctx->config().profile(QStringLiteral("plain"));
        ProfileDialog onSrc(m_ctx.get(), src);
        QVERIFY(onSrc.globalsField()->isChecked());
        ProfileDialog onPlain(m_ctx.get(), plain);
        onPlain.show();
        QVERIFY(QTest::qWaitForWindowExposed(&onPlain));
        QVERIFY(!onPlain.globalsField()->isChecked());
        QVERIFY(!onPlain.profile().globals);
        // Ticked with the keyboard from the production box above it, as an operator tabs through the form.
        onPlain.activateWindow();
        onPlain.globalsField()->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(QApplication::focusWidget() == onPlain.globalsField());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        QVERIFY(onPlain.profile().globals);
        QVERIFY(!onPlain.profile().globalsRolePasswords);
    }

    void notOfferedForABackupWithoutRoles() {
        QVERIFY(toTarget(m_withoutRoles, QStringLiteral("shop_plain")));
        QCheckBox *box = wizard()->targetPage()->createRolesBox();
        QVERIFY(!box->isEnabled());
        QVERIFY(!box->isChecked());
        QVERIFY(box->toolTip().contains(QStringLiteral("kept no roles")));
        wizard()->back();
        wizard()->back();
    }

    void createsTheMissingRolesFirst() {
        QVERIFY(toTarget(m_withRoles, QStringLiteral("shop")));
        QCheckBox *box = wizard()->targetPage()->createRolesBox();
        QVERIFY(box->isEnabled());
        QVERIFY(!box->isChecked()); // never on by default: it changes the server, not only the database
        // Through the focus chain: from the database field, Tab until the box has the focus, then Space.
        QVERIFY(GuiTyping::clickInto(wizard()->targetPage()->databaseField()));
        for (int i = 0; i < 20 && QApplication::focusWidget() != box; ++i)
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QVERIFY2(QApplication::focusWidget() == box, qPrintable(GuiTyping::focusDescription()));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        QVERIFY(box->isChecked());

        wizard()->next();
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::SafetyId));
        RestoreSafetyPage *s = wizard()->safetyPage();
        QTRY_VERIFY_WITH_TIMEOUT(!s->isChecking(), 60000);
        QVERIFY2(s->isComplete(), qPrintable(s->blocker()));
        QString roles;
        for (const SafetyCheck &c : s->shownChecks())
            if (c.id == QLatin1String("roles"))
                roles = c.detail;
        QVERIFY2(roles.contains(QStringLiteral("3 role(s) will be created")), qPrintable(roles));
        QVERIFY2(roles.contains(QStringLiteral("left alone: postgres")), qPrintable(roles));
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"),
                     QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = 'reader'")),
                 QStringLiteral("0")); // the checks changed nothing

        QTest::mouseClick(nextButton(), Qt::LeftButton);
        QCOMPARE(wizard()->currentId(), int(RestoreWizard::RunId));
        QTRY_VERIFY_WITH_TIMEOUT(wizard()->runPage()->isFinished(), 120000);
        const QString log = wizard()->runPage()->logView()->toPlainText();
        QVERIFY2(wizard()->runOk(), qPrintable(wizard()->runError() + log));
        QVERIFY2(log.contains(QStringLiteral("created 3 role(s): app_owner, reader, readers")), qPrintable(log));
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"),
                     QStringLiteral("SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles WHERE rolname IN "
                                    "('app_owner', 'reader', 'readers')")),
                 QStringLiteral("app_owner,reader,readers"));
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"),
                     QStringLiteral("SELECT pg_has_role('reader', 'readers', 'MEMBER')")),
                 QStringLiteral("t"));
        QCOMPARE(sql(*m_target, QStringLiteral("shop"),
                     QStringLiteral("SELECT has_table_privilege('reader', 'orders', 'SELECT'), count(*) FROM orders")),
                 QStringLiteral("t|20"));
    }

    void cleanupTestCase() {
        m_window.reset();
        m_ctx.reset();
        m_source.reset();
        m_target.reset();
    }
};

QTEST_MAIN(TestCreateRoles)
#include "tst_gui_createroles.moc"
