// Issue #20, item 11: the dashboard chart's size axis read "1.5e+03" kB. Axis labels are plain numbers in the unit
// named in the axis title.
#include "catalog/BackupRecord.h"
#include "ui/AppContext.h"
#include "ui/dashboard/DashboardPage.h"

#include <QChart>
#include <QChartView>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

using namespace lifeboat;

class TestUnits : public QObject {
    Q_OBJECT
private slots:
    void chartAxisLabelsAreHumanNumbers() {
        QTemporaryDir home;
        AppContext ctx(home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        // Sizes between 1 and 2 MB: the axis is in kB and its ticks reach past 1000.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const qint64 sizes[] = {1'200'000, 1'500'000, 1'900'000};
        for (int i = 0; i < 3; ++i) {
            BackupRecord r;
            r.profile = QStringLiteral("shop");
            r.database = QStringLiteral("shop");
            r.kind = QStringLiteral("database");
            r.type = QStringLiteral("DAILY");
            r.filename = QStringLiteral("shop-%1.dump.zst").arg(i);
            r.size = sizes[i];
            r.status = BackupRecord::statusCompleted();
            r.started = now.addDays(-3 + i);
            r.finished = r.started.addSecs(20);
            r.durationMs = 20000;
            QVERIFY2(ctx.catalog()->insert(r, &err), qPrintable(err));
        }
        DashboardPage dash(&ctx);
        dash.resize(1000, 700);
        dash.show();
        QSignalSpy refreshed(&dash, &DashboardPage::refreshed);
        dash.refresh();
        QVERIFY(refreshed.wait(20000));
        auto *view = dash.findChild<QChartView *>();
        QVERIFY(view);
        int checked = 0;
        for (QAbstractAxis *a : view->chart()->axes()) {
            auto *v = qobject_cast<QValueAxis *>(a);
            if (!v)
                continue;
            const QByteArray fmt = v->labelFormat().toLatin1();
            const int ticks = qMax(2, v->tickCount());
            for (int t = 0; t < ticks; ++t) {
                const double value = v->min() + (v->max() - v->min()) * t / (ticks - 1);
                const QString label = QString::asprintf(fmt.constData(), value);
                QVERIFY2(!label.contains(QLatin1Char('e')), qPrintable(v->titleText() + QStringLiteral(": ") + label));
                ++checked;
            }
        }
        QVERIFY(checked >= 4);
    }
};

QTEST_MAIN(TestUnits)
#include "tst_gui_units.moc"
