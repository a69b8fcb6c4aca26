#pragma once

// What the restore wizard tests share (tst_gui_restorewizard, tst_gui_restorewizard_sources): the app's main window
// on a real home, the wizard's pages reached as an operator reaches them, keys typed into its fields and checked to
// arrive there, real backups made through the app, and the shop database the backups are taken of.
#include "GuiTyping.h"
#include "TestEnv.h"

#include "jobs/JobRunner.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/restore/RestoreInspectPage.h"
#include "ui/restore/RestorePage.h"
#include "ui/restore/RestoreSafetyPage.h"
#include "ui/restore/RestoreTargetPage.h"
#include "ui/restore/RestoreWizard.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace lifeboat {

class RestoreWizardFixture {
protected:
    QTemporaryDir m_home;
    QTemporaryDir m_tmp;
    std::unique_ptr<AppContext> m_ctx;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_backupId = 0;
    QString m_shots;

    // The shop's tables (customers, orders, "Audit Log") with their rows, created in `db`.
    static void fillShopDatabase(const QString &db) {
        TestEnv::psql(
            db,
            QStringLiteral("CREATE TABLE customers (id int PRIMARY KEY, name text);"
                           "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 500) g;"
                           "CREATE TABLE orders (id int PRIMARY KEY, customer int REFERENCES customers, total numeric);"
                           "CREATE INDEX orders_customer ON orders (customer);"
                           "INSERT INTO orders SELECT g, g % 500 + 1, g * 1.5 FROM generate_series(1, 3000) g;"
                           "CREATE TABLE \"Audit Log\" (id serial, note text);"
                           "INSERT INTO \"Audit Log\" (note) SELECT md5(g::text) FROM generate_series(1, 200) g;"));
    }

    RestorePage *restorePage() const { return qobject_cast<RestorePage *>(m_window->pageWidget(MainWindow::Restore)); }
    RestoreWizard *wizard() const { return restorePage()->wizard(); }
    QAbstractButton *nextButton() const {
        RestoreWizard *w = wizard();
        QAbstractButton *commit = w->button(QWizard::CommitButton);
        return commit->isVisible() ? commit : w->button(QWizard::NextButton);
    }
    void shot(const QString &name) {
        QTest::qWait(200); // let the page lay out
        const QString file = m_shots + QStringLiteral("/restore-") + name + QStringLiteral(".png");
        QVERIFY(m_window->grab().save(file));
        qInfo("wrote %s", qPrintable(file));
    }
    static QString psql(const QString &db, const QString &sql) { return TestEnv::psql(db, sql).trimmed(); }
    static bool dbExists(const QString &db) {
        return psql(QStringLiteral("postgres"),
                    QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'").arg(db)) ==
               QLatin1String("1");
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

    // Opens the wizard on a backup (as History's Restore… does), inspects it and fills the target page.
    bool toTarget(const QString &profile, const QString &db, bool create, qint64 id = 0) {
        m_ctx->requestRestore(QString::number(id ? id : m_backupId));
        if (!QTest::qWaitFor([this] { return wizard()->currentId() == RestoreWizard::InspectId; }, 20000))
            return false;
        if (!QTest::qWaitFor([this] { return wizard()->inspectPage()->isComplete(); }, 60000))
            return false;
        wizard()->next();
        if (wizard()->currentId() != RestoreWizard::TargetId)
            return false;
        RestoreTargetPage *t = wizard()->targetPage();
        t->setServer(profile);
        if (!typeInto(t->databaseField(), db))
            return false;
        t->createBox()->setChecked(create);
        return t->isComplete();
    }
    // Types into a field of the wizard as an operator does (GuiTyping: click into it, then every key to whatever has
    // the focus) and checks that every key arrived there and nowhere else: the field holds exactly the text, the
    // window still shows the Restore page and the toolbar's profile is unchanged.
    bool typeInto(QLineEdit *field, const QString &text, bool replace = true) {
        const QString profile = m_ctx->currentProfile();
        const QString expected = replace ? text : field->text() + text; // appending: the click puts the cursor last
        const bool typed =
            replace ? GuiTyping::replaceText(field, text) : GuiTyping::clickInto(field) && GuiTyping::type(text);
        if (!typed || field->text() != expected || m_ctx->currentProfile() != profile ||
            m_window->currentPage() != MainWindow::Restore) {
            qWarning("typed \"%s\" into %s: it holds \"%s\"; the focus is on %s; profile \"%s\" (was \"%s\"), page %s",
                     qPrintable(text), qPrintable(field->accessibleName()), qPrintable(field->text()),
                     qPrintable(GuiTyping::focusDescription()), qPrintable(m_ctx->currentProfile()),
                     qPrintable(profile), qPrintable(MainWindow::pageName(m_window->currentPage())));
            return false;
        }
        return true;
    }
    bool toSafety(const QString &profile, const QString &db, bool create, qint64 id = 0) {
        if (!toTarget(profile, db, create, id))
            return false;
        wizard()->next();
        if (wizard()->currentId() != RestoreWizard::SafetyId)
            return false;
        return QTest::qWaitFor([this] { return !wizard()->safetyPage()->isChecking(); }, 60000);
    }
};

} // namespace lifeboat
