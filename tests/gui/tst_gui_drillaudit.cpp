// Issue 18, the desktop side of drills and the audit trail: the dashboard's verification card opens the last drill's
// HTML report (through the UrlOpener seam; disabled while there is none); a password typed into the profile editor
// is one `secret.set` audit row naming the key, never the value (keychain run only: the plain run skips that case).
#include "GuiTyping.h"

#include "catalog/AuditTrail.h"
#include "schedule/DueRunner.h"
#include "ui/AppContext.h"
#include "ui/dashboard/DashboardPage.h"
#include "ui/settings/ProfileDialog.h"
#include "ui/widgets/MessageBox.h"
#include "ui/widgets/UrlOpener.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestDrillAudit : public QObject {
    Q_OBJECT
    QTemporaryDir m_home;
    std::unique_ptr<AppContext> m_ctx;

    static bool writeFile(const QString &path, const QByteArray &bytes, const QDateTime &mtime) {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            return false;
        f.close();
        return f.open(QIODevice::ReadWrite) && f.setFileTime(mtime, QFileDevice::FileModificationTime);
    }

private slots:
    void initTestCase() {
        m_ctx = std::make_unique<AppContext>(m_home.path());
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        QVERIFY2(m_ctx->updateConfig(
                     [this](ConfigStore &c) {
                         StorageConfig s;
                         s.name = QStringLiteral("disk");
                         s.localDir = m_home.filePath(QStringLiteral("store"));
                         c.upsertStorage(s);
                         for (const char *name : {"shop", "crm"}) {
                             Profile p;
                             p.name = QString::fromLatin1(name);
                             p.conninfo = QStringLiteral("host=127.0.0.1 port=1 dbname=%1").arg(p.name);
                             p.defaultStorages = {QStringLiteral("disk")};
                             c.upsertProfile(p);
                         }
                     },
                     &err),
                 qPrintable(err));
    }

    void dashboardOpensTheLastDrillReport() {
        QList<QUrl> opened;
        UrlOpener::setHandler([&opened](const QUrl &u) {
            opened << u;
            return true;
        });
        DashboardPage page(m_ctx.get());
        page.resize(1000, 700);
        page.show();
        QTRY_VERIFY(page.isLoaded());
        QVERIFY(page.drillReportButton()->isVisible());
        QVERIFY(!page.drillReportButton()->isEnabled());
        QTest::mouseClick(page.drillReportButton(), Qt::LeftButton);
        QVERIFY(opened.isEmpty());

        // Two drills' reports (as DueRunner::keepReport names them), the newer one written last.
        const QString dir = DueRunner::reportDirectory(m_ctx->config());
        QVERIFY(QDir().mkpath(dir));
        const QDateTime now = QDateTime::currentDateTime();
        const QString older = QDir(dir).filePath(QStringLiteral("drill-shop-drill-backup3-20261129T040000Z.html"));
        const QString newer = QDir(dir).filePath(QStringLiteral("drill-crm-drill-backup7-20261122T040000Z.html"));
        QVERIFY(writeFile(older, "<html>old</html>", now.addDays(-7)));
        QVERIFY(writeFile(newer, "<html>new</html>", now.addSecs(-60)));
        QVERIFY(
            writeFile(QDir(dir).filePath(QStringLiteral("drill-crm-drill-backup7-20261122T040000Z.json")), "{}", now));
        QSignalSpy refreshed(&page, &DashboardPage::refreshed);
        page.refresh();
        QVERIFY(refreshed.wait(10000));
        QVERIFY(page.drillReportButton()->isEnabled());
        QTest::mouseClick(page.drillReportButton(), Qt::LeftButton);
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.first(), QUrl::fromLocalFile(newer));
        UrlOpener::setHandler({});
    }

    void profilePasswordIsAnAuditedSecret() {
        m_ctx->probeKeychain();
        QTRY_VERIFY_WITH_TIMEOUT(m_ctx->keychainKnown(), 15000);
        if (!m_ctx->keychain().available())
            QSKIP("no keychain here (run by tst_gui_drillaudit_keychain under dbus-run-session)");
        const QString password = QStringLiteral("Gui-pw-5a1c9e77");
        ProfileDialog d(m_ctx.get(), *m_ctx->config().profile(QStringLiteral("shop")));
        d.show();
        QVERIFY(QTest::qWaitForWindowActive(&d));
        QVERIFY(GuiTyping::clickInto(d.passwordField()));
        QVERIFY(GuiTyping::type(password));
        QCOMPARE(d.passwordField()->text(), password);
        QSignalSpy changed(m_ctx.get(), &AppContext::secretChanged);
        d.accept();
        QVERIFY(changed.wait(20000));
        AuditTrail::flush();
        AuditFilter f;
        f.action = QStringLiteral("secret.set");
        const QList<AuditEntry> rows = m_ctx->catalog()->auditEntries(f);
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().target, QStringLiteral("profile/shop/password"));
        QCOMPARE(rows.first().outcome, QStringLiteral("ok"));
        QCOMPARE(rows.first().program, QStringLiteral("desktop"));
        for (const AuditEntry &e : m_ctx->catalog()->auditEntries({}))
            QVERIFY(!e.target.contains(password) && !e.detail.contains(password));
    }

    void cleanupTestCase() { m_ctx.reset(); }
};

QTEST_MAIN(TestDrillAudit)
#include "tst_gui_drillaudit.moc"
