// The retention panel edits every rule of a profile's schedules (issue 15): hourly, yearly, last and keep-within
// besides daily/weekly/monthly, stored on the schedule in the real catalog and shown back; a keep-within that is not
// a duration is refused with the reason and nothing is saved.
#include "catalog/SqlCatalog.h"
#include "core/Home.h"
#include "ui/AppContext.h"
#include "ui/schedules/RetentionPanel.h"
#include "ui/widgets/MessageBox.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestRetentionRules : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    std::unique_ptr<AppContext> m_ctx;

    std::optional<ScheduleRecord> stored() {
        auto c = SqlCatalog::sqlite(Home::catalogPath(m_home));
        QString err;
        if (!c->open(&err))
            return std::nullopt;
        return c->schedule(QStringLiteral("lake-hourly"));
    }

private slots:
    void initTestCase() {
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_ctx = std::make_unique<AppContext>(m_home);
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        QVERIFY2(m_ctx->updateConfig(
                     [](ConfigStore &c) {
                         Profile lake;
                         lake.name = QStringLiteral("lake");
                         lake.conninfo = QStringLiteral("host=127.0.0.1 dbname=lake");
                         c.upsertProfile(lake);
                     },
                     &err),
                 qPrintable(err));
        ScheduleRecord s;
        s.name = QStringLiteral("lake-hourly");
        s.profile = QStringLiteral("lake");
        s.cron = QStringLiteral("0 * * * *");
        QVERIFY2(m_ctx->catalog()->saveSchedule(s, &err), qPrintable(err));
    }

    void editsEveryRule() {
        RetentionPanel panel(m_ctx.get());
        panel.show();
        panel.profileField()->setCurrentIndex(panel.profileField()->findData(QStringLiteral("lake")));
        QTRY_VERIFY(panel.applyButton()->isEnabled());
        QCOMPARE(panel.hourlyField()->value(), -1); // no rule of its own yet: "default (0)"
        QCOMPARE(panel.hourlyField()->text(), QStringLiteral("default (0)"));
        panel.hourlyField()->setValue(48);
        panel.yearlyField()->setValue(7);
        panel.lastField()->setValue(3);
        panel.withinField()->setText(QStringLiteral("1d12h"));
        QTest::mouseClick(panel.applyButton(), Qt::LeftButton);
        QTRY_COMPARE(stored()->keepHourly, 48);
        const ScheduleRecord s = *stored();
        QCOMPARE(s.keepYearly, 7);
        QCOMPARE(s.keepLast, 3);
        QCOMPARE(s.keepWithinSeconds, qint64(36 * 3600));
        QCOMPARE(s.keepDaily, -1); // untouched fields stay "default"
        QTRY_VERIFY2(panel.policyLabel()->text().contains(QStringLiteral("48 hourly (this profile)")),
                     qPrintable(panel.policyLabel()->text()));
        QVERIFY(panel.policyLabel()->text().contains(QStringLiteral("all within 1d12h (this profile)")));

        // Shown back when the panel is opened again.
        RetentionPanel again(m_ctx.get());
        again.profileField()->setCurrentIndex(again.profileField()->findData(QStringLiteral("lake")));
        QTRY_COMPARE(again.withinField()->text(), QStringLiteral("1d12h"));
        QCOMPARE(again.hourlyField()->value(), 48);
        QCOMPARE(again.yearlyField()->value(), 7);
        QCOMPARE(again.lastField()->value(), 3);

        // Not a duration: refused, nothing saved.
        MessageBox::setNextAnswer(MessageBox::Button::Ok);
        panel.yearlyField()->setValue(2);
        panel.withinField()->setText(QStringLiteral("a week"));
        QTest::mouseClick(panel.applyButton(), Qt::LeftButton);
        QCOMPARE(MessageBox::lastTitle(), QStringLiteral("Retention not saved"));
        QVERIFY2(MessageBox::lastText().contains(QStringLiteral("“a week” is not a duration")),
                 qPrintable(MessageBox::lastText()));
        QTest::qWait(300);
        QCOMPARE(stored()->keepYearly, 7);
        QCOMPARE(stored()->keepWithinSeconds, qint64(36 * 3600));
        MessageBox::clearNextAnswer();

        // Emptied: back to the default.
        panel.yearlyField()->setValue(-1);
        panel.withinField()->clear();
        QTest::mouseClick(panel.applyButton(), Qt::LeftButton);
        QTRY_COMPARE(stored()->keepWithinSeconds, qint64(-1));
        QCOMPARE(stored()->keepYearly, -1);
    }
};

QTEST_MAIN(TestRetentionRules)
#include "tst_gui_retentionrules.moc"
