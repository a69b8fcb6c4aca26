// Issue 18: saving a profile's first backup schedule in the schedule editor offers a weekly drill (MessageBox seam):
// accepted, it creates a verify schedule of that profile an hour after a daily backup, on Sunday; declined, nothing;
// a profile that already has a backup schedule is not asked again. No fixture.
#include "GuiTyping.h"

#include "models/ScheduleListModel.h"
#include "ui/AppContext.h"
#include "ui/schedules/ScheduleDialog.h"
#include "ui/schedules/SchedulesPage.h"
#include "ui/widgets/MessageBox.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestDrillOffer : public QObject {
    Q_OBJECT
    QTemporaryDir m_home;
    std::unique_ptr<AppContext> m_ctx;

    int drills() {
        int n = 0;
        for (const ScheduleRecord &s : m_ctx->catalog()->schedules())
            n += s.isDrill() ? 1 : 0;
        return n;
    }

    // Add → the editor: the source picked, name and cron typed as a user types, Save clicked; true once the
    // schedule is saved and the dialog (deleted on close) is gone.
    static bool addThroughTheEditor(SchedulesPage &page, const QString &profile, const QString &name,
                                    const QString &cron) {
        QTest::mouseClick(page.addButton(), Qt::LeftButton);
        auto *d = page.findChild<ScheduleDialog *>();
        if (!d)
            return false;
        d->profileField()->setCurrentIndex(d->profileField()->findData(profile));
        if (!GuiTyping::replaceText(d->nameField(), name) || !GuiTyping::replaceText(d->cronField(), cron))
            return false;
        QSignalSpy saved(d, &ScheduleDialog::saved);
        QTest::mouseClick(d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save), Qt::LeftButton);
        if (!saved.wait(10000))
            return false;
        QPointer<ScheduleDialog> closing(d);
        return QTest::qWaitFor([&] { return closing.isNull(); }, 10000);
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

    void firstBackupScheduleOffersAWeeklyDrill() {
        SchedulesPage page(m_ctx.get());
        page.resize(1100, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QTRY_VERIFY(page.model()->isLoaded());
        QCOMPARE(page.model()->rowCount(), 0);

        // shop's first backup schedule, daily at 01:30: the offer is accepted.
        MessageBox::setNextAnswer(QMessageBox::Yes);
        QVERIFY(addThroughTheEditor(page, QStringLiteral("shop"), QStringLiteral("shop-nightly"),
                                    QStringLiteral("30 1 * * *")));
        QTRY_COMPARE_WITH_TIMEOUT(MessageBox::lastTitle(), QStringLiteral("Add a weekly drill?"), 10000);
        QVERIFY2(MessageBox::lastText().contains(QStringLiteral("shop-drill")), qPrintable(MessageBox::lastText()));
        QTRY_VERIFY_WITH_TIMEOUT(m_ctx->catalog()->schedule(QStringLiteral("shop-drill")).has_value(), 10000);
        const ScheduleRecord drill = *m_ctx->catalog()->schedule(QStringLiteral("shop-drill"));
        QVERIFY(drill.isDrill());
        QCOMPARE(drill.profile, QStringLiteral("shop"));
        QCOMPARE(drill.cron, QStringLiteral("30 2 * * 0")); // an hour after the backup, on Sunday
        QVERIFY(drill.enabled);
        QVERIFY(drill.lastCheck.isValid());
        QTRY_COMPARE(page.model()->rowCount(), 2);
        QVERIFY2(page.messageLabel()->text().contains(QStringLiteral("shop-drill")),
                 qPrintable(page.messageLabel()->text()));

        // A second backup schedule of shop: not asked (an answer left ready would add a drill).
        const QString asked = MessageBox::lastText();
        MessageBox::setNextAnswer(QMessageBox::Yes);
        QVERIFY(addThroughTheEditor(page, QStringLiteral("shop"), QStringLiteral("shop-hourly"),
                                    QStringLiteral("0 * * * *")));
        QTRY_COMPARE(page.model()->rowCount(), 3);
        QTest::qWait(500);
        QCOMPARE(MessageBox::lastText(), asked);
        QCOMPARE(drills(), 1);
        MessageBox::clearNextAnswer();

        // crm's first one, declined: no drill.
        MessageBox::setNextAnswer(QMessageBox::No);
        QVERIFY(addThroughTheEditor(page, QStringLiteral("crm"), QStringLiteral("crm-nightly"),
                                    QStringLiteral("0 1 * * *")));
        QTRY_VERIFY_WITH_TIMEOUT(MessageBox::lastText().contains(QStringLiteral("crm-drill")), 10000);
        QTest::qWait(500);
        QCOMPARE(drills(), 1);
        QVERIFY(!m_ctx->catalog()->schedule(QStringLiteral("crm-drill")));
    }

    void cleanupTestCase() { m_ctx.reset(); }
};

QTEST_MAIN(TestDrillOffer)
#include "tst_gui_drilloffer.moc"
