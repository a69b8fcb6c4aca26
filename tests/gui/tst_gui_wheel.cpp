// Issue #20: the mouse wheel over Settings changed "A job without progress for" from 10 to 1 minute, and it was
// saved. Spin boxes and combo boxes take the wheel only when they have the focus.
#include "GuiTyping.h"

#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/settings/BackgroundSettings.h"

#include <QApplication>
#include <QListWidget>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

using namespace lifeboat;

class TestWheel : public QObject {
    Q_OBJECT
private:
    static void wheelDown(QWidget *w, int notches) {
        const QPointF pos = QPointF(w->rect().center());
        QWheelEvent e(pos, w->mapToGlobal(pos), QPoint(), QPoint(0, -120 * notches), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
        QApplication::sendEvent(w, &e);
    }

private slots:
    void wheelOnlyChangesAFocusedSpinBox() {
        QTemporaryDir home;
        AppContext ctx(home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        MainWindow window(&ctx);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.showPage(MainWindow::Settings);
        // The keyboard focus is in the sidebar, as after choosing the page with the mouse.
        for (QListWidget *l : window.findChildren<QListWidget *>())
            if (l->accessibleName() == QLatin1String("Pages"))
                l->setFocus();
        QSpinBox *stall = window.findChild<BackgroundSettings *>()->stallMinutes();
        QCOMPARE(stall->value(), 10);
        QCOMPARE(stall->focusPolicy(), Qt::StrongFocus); // the wheel does not focus it either

        // Scrolling past it: unchanged, nothing saved.
        QVERIFY(!stall->hasFocus());
        wheelDown(stall, 9);
        QCOMPARE(stall->value(), 10);
        QVERIFY(ctx.config().option(QStringLiteral("stallMinutes")).isEmpty());

        // Clicked into, it takes the wheel.
        QVERIFY(GuiTyping::clickInto(stall));
        wheelDown(stall, 2);
        QCOMPARE(stall->value(), 8);
        // Confirmed with Enter, it is saved. (Saved now, the window's destruction does not save it on focus-out:
        // that path rebuilds other pages while Qt tears the focus chain down — see the report of issue #20.)
        QTest::keyClick(stall, Qt::Key_Return);
        QCOMPARE(ctx.config().option(QStringLiteral("stallMinutes")), QStringLiteral("8"));
    }
};

QTEST_MAIN(TestWheel)
#include "tst_gui_wheel.moc"
