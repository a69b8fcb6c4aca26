// Settings ▸ Background work: the controls write the options the tray controller and the Jobs page read, and follow
// a change made elsewhere (the tray menu, another window).
#include "models/JobListModel.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/settings/BackgroundSettings.h"

#include <QCheckBox>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestBackgroundSettings : public QObject {
    Q_OBJECT
private slots:
    void controlsWriteTheOptionsAndFollowChanges() {
        QTemporaryDir home;
        AppContext ctx(home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        MainWindow window(&ctx);
        auto *bg = window.findChild<BackgroundSettings *>();
        QVERIFY(bg);
        QCOMPARE(bg->stallMinutes()->value(), 10); // the documented default
        QVERIFY(!bg->stallCancel()->isChecked());

        bg->stallMinutes()->setValue(3);
        emit bg->stallMinutes()->editingFinished();
        QCOMPARE(ctx.config().option(QStringLiteral("stallMinutes")), QStringLiteral("3"));
        QCOMPARE(ctx.jobs()->stallLimitMs(), qint64(3 * 60000));
        bg->stallCancel()->setChecked(true);
        QCOMPARE(ctx.config().option(QStringLiteral("stallCancel")), QStringLiteral("true"));
        QVERIFY(ctx.jobs()->stallCancels());

        QVERIFY(ctx.updateConfig(
            [](ConfigStore &c) { c.setOption(QStringLiteral("stallMinutes"), QStringLiteral("25")); }, &err));
        QCOMPARE(bg->stallMinutes()->value(), 25);
        QCOMPARE(ctx.jobs()->stallLimitMs(), qint64(25 * 60000));
    }
};

QTEST_MAIN(TestBackgroundSettings)
#include "tst_gui_background.moc"
