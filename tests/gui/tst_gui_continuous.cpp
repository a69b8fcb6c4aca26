// Continuous protection in the app: the profile editor's "Continuous protection" and "Check replication access"
// against a real throwaway cluster, and WalCaptureRunner running a real `lifeboatctl wal receive` for the profile.
#include "../integration/WalTestCluster.h"
#include "GuiTyping.h"
#include "TestEnv.h"

#include "catalog/Catalog.h"
#include "ui/AppContext.h"
#include "ui/history/HistoryPage.h"
#include "ui/history/WalRangesPanel.h"
#include "ui/settings/ProfileDialog.h"
#include "ui/tray/WalCaptureRunner.h"

#include <QCheckBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace lifeboat;

class TestGuiContinuous : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home, m_disk;
    std::unique_ptr<WalTestCluster> m_cluster;
    QString m_segment; // a segment the receiver stored

    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args); }
    QString slotActive() const {
        return m_cluster->sql(
            QStringLiteral("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'lifeboat_src' AND active"));
    }

private slots:
    void initTestCase() {
        const QString base = m_tmp.filePath(QStringLiteral("cluster"));
        QVERIFY(WalTestCluster::owned(base));
        QFile::setPermissions(m_tmp.path(), QFile::permissions(m_tmp.path()) | QFileDevice::ExeOther |
                                                QFileDevice::ExeGroup | QFileDevice::ReadOther);
        m_cluster = std::make_unique<WalTestCluster>(base);
        QString why;
        QVERIFY2(m_cluster->start({}, QProcessEnvironment::systemEnvironment(), &why), qPrintable(why));
        m_cluster->sql(QStringLiteral("CREATE ROLE plain LOGIN"));
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_disk = m_tmp.filePath(QStringLiteral("disk"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_disk})
                     .exitCode,
                 0);
        const auto r =
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("src"), QStringLiteral("--conninfo"),
                 m_cluster->conninfo(), QStringLiteral("--storage"), QStringLiteral("disk")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void cleanupTestCase() {
        if (m_cluster)
            m_cluster->sql(QStringLiteral("SELECT pg_drop_replication_slot('lifeboat_src') FROM pg_replication_slots "
                                          "WHERE slot_name = 'lifeboat_src' AND NOT active"));
        m_cluster.reset();
    }

    void editorChecksReplicationAndMarksTheProfile() {
        AppContext ctx(m_home);
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        ProfileDialog d(&ctx, *ctx.config().profile(QStringLiteral("src")));
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        d.activateWindow();
        QVERIFY(!d.continuousField()->isChecked());
        QVERIFY(!d.partialUploadField()->isEnabled());

        // A role without REPLICATION: refused, with the grant and the pg_hba.conf line to add for this role.
        const QString original = d.conninfoField()->text();
        const QString plain =
            QStringLiteral("host=127.0.0.1 port=%1 user=plain dbname=postgres").arg(m_cluster->port());
        QVERIFY(GuiTyping::replaceText(d.conninfoField(), plain));
        QCOMPARE(d.conninfoField()->text(), plain);
        QSignalSpy checked(&d, &ProfileDialog::replicationChecked);
        QTest::mouseClick(d.replicationButton(), Qt::LeftButton);
        QVERIFY(checked.wait(30000));
        QCOMPARE(checked.last().first().toBool(), false);
        const QString refusal = d.replicationResult()->text();
        QVERIFY2(refusal.contains(QStringLiteral("ALTER ROLE \"plain\" WITH REPLICATION;")), qPrintable(refusal));
        QVERIFY2(refusal.contains(QStringLiteral("host replication plain 127.0.0.1/32 scram-sha-256")),
                 qPrintable(refusal));

        // The profile's own role (a superuser here): ready, with the server's system identifier.
        QVERIFY(GuiTyping::replaceText(d.conninfoField(), original));
        QTest::mouseClick(d.replicationButton(), Qt::LeftButton);
        QVERIFY(checked.wait(30000));
        QVERIFY2(checked.last().first().toBool(), qPrintable(d.replicationResult()->text()));
        const QString systemId = m_cluster->sql(QStringLiteral("SELECT system_identifier FROM pg_control_system()"));
        QVERIFY2(d.replicationResult()->text().contains(systemId), qPrintable(d.replicationResult()->text()));
        if (const QString shots = qEnvironmentVariable("LIFEBOAT_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(d.grab().save(shots + QStringLiteral("/profile-continuous.png")));

        // Marked continuous with a 20 s partial upload, typed as an operator does; saved to the shared settings.
        QVERIFY(GuiTyping::clickInto(d.continuousField())); // a click ticks it
        QVERIFY(d.continuousField()->isChecked());
        QVERIFY(d.partialUploadField()->isEnabled());
        QVERIFY(GuiTyping::replaceText(d.partialUploadField(), QStringLiteral("20")));
        QCOMPARE(d.partialUploadField()->value(), 20);
        d.accept();
        QCOMPARE(d.result(), int(QDialog::Accepted));
        AppContext reread(m_home);
        QVERIFY2(reread.open(&err), qPrintable(err));
        QVERIFY(reread.config().profile(QStringLiteral("src"))->continuous);
        QCOMPARE(reread.config().profile(QStringLiteral("src"))->partialUploadSeconds, 20);
        // The CLI sees it too.
        const auto list = ctl({QStringLiteral("profile"), QStringLiteral("list")});
        QVERIFY2(list.out.contains("CONTINUOUS"), (list.out + list.err).constData());
    }

    void runnerKeepsAReceiverForTheContinuousProfile() {
        AppContext ctx(m_home);
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        QVERIFY(ctx.config().profile(QStringLiteral("src"))->continuous);
        WalCaptureRunner runner(&ctx);
        runner.setBackoffForTests(500);
        runner.start();
        QCOMPARE(runner.profiles(), QStringList{QStringLiteral("src")});
        QTRY_VERIFY_WITH_TIMEOUT(runner.isCapturing(QStringLiteral("src")), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(slotActive(), QStringLiteral("1"), 30000);

        // A finished segment reaches the profile's storage and the catalog.
        m_cluster->sql(QStringLiteral("CREATE TABLE t AS SELECT g FROM generate_series(1, 1000) g"));
        const QString segment = m_cluster->sql(QStringLiteral("SELECT pg_walfile_name(pg_switch_wal())"));
        m_segment = segment;
        const QString stored = m_disk + QStringLiteral("/wal/src/00000001/%1.zst").arg(segment);
        QTRY_VERIFY2_WITH_TIMEOUT(QFile::exists(stored), qPrintable(runner.status(QStringLiteral("src"))), 60000);
        QVERIFY(runner.status(QStringLiteral("src")).contains(QStringLiteral("capturing since")));
        const auto status = ctl({QStringLiteral("wal"), QStringLiteral("status"), QStringLiteral("src")});
        QVERIFY2(status.exitCode == 0, status.err.constData());

        // A receiver killed from outside is started again.
        QVERIFY(runner.isCapturing(QStringLiteral("src")));
        TestEnv::run(QStringLiteral("pkill"),
                     {QStringLiteral("-KILL"), QStringLiteral("-f"), QStringLiteral("wal receive src")});
        QTRY_VERIFY_WITH_TIMEOUT(runner.status(QStringLiteral("src")).contains(QStringLiteral("restarting")), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(runner.isCapturing(QStringLiteral("src")), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(slotActive(), QStringLiteral("1"), 30000);

        // The mark removed (as the editor or `profile add --no-continuous` does): the receiver ends at once.
        QVERIFY2(ctx.updateConfig(
                     [](ConfigStore &c) {
                         Profile p = *c.profile(QStringLiteral("src"));
                         p.continuous = false;
                         c.upsertProfile(p);
                     },
                     &err),
                 qPrintable(err));
        QVERIFY(runner.profiles().isEmpty());
        QVERIFY(!runner.isCapturing(QStringLiteral("src")));
        QTRY_COMPARE_WITH_TIMEOUT(slotActive(), QStringLiteral("0"), 15000);
    }

    void historyListsTheArchivedWalRange() {
        QVERIFY(!m_segment.isEmpty());
        AppContext ctx(m_home);
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        HistoryPage page(&ctx);
        page.resize(1100, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        WalRangesPanel *panel = page.walRanges();
        QTRY_VERIFY_WITH_TIMEOUT(panel->isVisible(), 10000);
        QCOMPARE(panel->tree()->topLevelItemCount(), 1);
        const QTreeWidgetItem *row = panel->tree()->topLevelItem(0);
        QCOMPARE(row->text(WalRangesPanel::ProfileColumn), QStringLiteral("src"));
        QCOMPARE(row->text(WalRangesPanel::TimelineColumn), QStringLiteral("1"));
        QVERIFY2(row->text(WalRangesPanel::RangeColumn).contains(m_segment),
                 qPrintable(row->text(WalRangesPanel::RangeColumn)));
        QCOMPARE(row->text(WalRangesPanel::MissingColumn), QStringLiteral("none"));
        if (const QString shots = qEnvironmentVariable("LIFEBOAT_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(page.grab().save(shots + QStringLiteral("/history-wal.png")));
        // Another profile filtered in History hides the range.
        QSignalSpy reloaded(panel, &WalRangesPanel::reloaded);
        panel->setProfileFilter(QStringLiteral("nobody"));
        QVERIFY(reloaded.wait(10000));
        QVERIFY(!panel->isVisible());
    }
};

QTEST_MAIN(TestGuiContinuous)
#include "tst_gui_continuous.moc"
