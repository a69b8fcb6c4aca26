// Issue #20, item 10: messages that no longer hold are cleared. In the server editor, the refusal of Save ("Enter how
// to connect…") stayed on screen after the operator filled the field in and Test connection succeeded. Typed
// through the focus chain against the real pg fixture.
#include "GuiTyping.h"
#include "TestEnv.h"

#include "catalog/ScheduleRecord.h"
#include "ui/AppContext.h"
#include "ui/schedules/ScheduleDialog.h"
#include "ui/settings/ProfileDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestStaleMessages : public QObject {
    Q_OBJECT
private slots:
    void serverEditorErrorGoesAfterASuccessfulTest() {
        QVERIFY2(!TestEnv::fixture(QStringLiteral("pg")).isEmpty(), "the pg fixture is not running");
        QTemporaryDir home;
        AppContext ctx(home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        ProfileDialog d(&ctx, Profile{});
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        d.activateWindow();
        QVERIFY(GuiTyping::clickInto(d.nameField()));
        QVERIFY(GuiTyping::type(QStringLiteral("shop")));
        QCOMPARE(d.nameField()->text(), QStringLiteral("shop"));
        QTest::mouseClick(d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save), Qt::LeftButton);
        QVERIFY2(!d.errorLabel()->text().isEmpty(), "Save without a connection is refused with a reason");
        QVERIFY(d.isVisible());

        const QString conninfo = TestEnv::pgConninfo(QStringLiteral("postgres"));
        QVERIFY(GuiTyping::clickInto(d.conninfoField()));
        QVERIFY(GuiTyping::type(conninfo));
        QCOMPARE(d.conninfoField()->text(), conninfo);
        QSignalSpy tested(&d, &ProfileDialog::testFinished);
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        QVERIFY(tested.wait(20000));
        QVERIFY2(tested.first().first().toBool(), qPrintable(d.testResult()->text()));
        QVERIFY2(d.errorLabel()->text().isEmpty(), qPrintable(d.errorLabel()->text()));
    }

    void scheduleCronErrorGoesOnceTheCronIsFixed() {
        QTemporaryDir home;
        AppContext ctx(home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        QVERIFY2(ctx.updateConfig(
                     [](ConfigStore &c) {
                         Profile shop;
                         shop.name = QStringLiteral("shop");
                         shop.conninfo = QStringLiteral("host=127.0.0.1 dbname=shop");
                         c.upsertProfile(shop);
                     },
                     &err),
                 qPrintable(err));
        ScheduleDialog d(&ctx, ScheduleRecord{}, {});
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        d.activateWindow();
        QVERIFY(GuiTyping::replaceText(d.nameField(), QStringLiteral("nightly")));
        QVERIFY(GuiTyping::replaceText(d.cronField(), QStringLiteral("0 1 * * SUNX")));
        d.accept();
        QVERIFY(d.isVisible());
        QVERIFY2(d.errorLabel()->isVisible() && d.errorLabel()->text().contains(QStringLiteral("SUNX")),
                 qPrintable(d.errorLabel()->text()));
        // Fixing the expression takes the refusal away: it no longer holds.
        QVERIFY(GuiTyping::replaceText(d.cronField(), QStringLiteral("0 1 * * SUN")));
        QCOMPARE(d.cronField()->text(), QStringLiteral("0 1 * * SUN"));
        QVERIFY2(!d.errorLabel()->isVisible(), qPrintable(d.errorLabel()->text()));
    }
};

QTEST_MAIN(TestStaleMessages)
#include "tst_gui_stalemessages.moc"
