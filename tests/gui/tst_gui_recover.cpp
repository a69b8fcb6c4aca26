// Issue #20, point-in-time recovery in the app, against real clusters as the CLI's tst_pitr_cli: a throwaway source
// cluster archives its WAL (archive_command copies, `lifeboatctl wal push` stores), a base backup, two batches of
// commits with a moment between them; the Recover dialog (Restore page) checks — a target outside the window is
// refused before anything is written — then recovers to that moment into a new data directory: exactly the first
// batch is there.
#include "../integration/WalTestCluster.h"
#include "GuiTyping.h"
#include "TestEnv.h"

#include "ui/AppContext.h"
#include "ui/restore/RecoverDialog.h"
#include "ui/restore/RecoveryTimeline.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace lifeboat;

class TestGuiRecover : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_base, m_home, m_archive;
    std::unique_ptr<WalTestCluster> m_src;
    QStringList m_pushed;
    QDateTime m_between;
    QStringList m_recovered; // data directories left running

    QString dir(const QString &name) const { return m_base + QLatin1Char('/') + name; }
    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args); }
    bool switchAndPush() {
        const QString seg = m_src->sql(QStringLiteral("SELECT pg_walfile_name(pg_switch_wal())"));
        for (int i = 0; i < 300 && !QFile::exists(m_archive + QLatin1Char('/') + seg); ++i)
            QThread::msleep(100);
        for (const QString &f : QDir(m_archive).entryList(QDir::Files, QDir::Name)) {
            if (m_pushed.contains(f))
                continue;
            if (ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("src"),
                     m_archive + QLatin1Char('/') + f})
                    .exitCode != 0)
                return false;
            m_pushed << f;
        }
        return m_pushed.contains(seg);
    }

private slots:
    void initTestCase() {
        m_base = m_tmp.filePath(QStringLiteral("pitr"));
        QVERIFY(WalTestCluster::owned(m_base));
        QFile::setPermissions(m_tmp.path(), QFile::permissions(m_tmp.path()) | QFileDevice::ExeOther |
                                                QFileDevice::ExeGroup | QFileDevice::ReadOther);
        m_archive = dir(QStringLiteral("archive"));
        QVERIFY(WalTestCluster::owned(m_archive));
        m_src = std::make_unique<WalTestCluster>(dir(QStringLiteral("source")));
        QString why;
        QVERIFY2(m_src->start({QStringLiteral("archive_mode = on"),
                               QStringLiteral("archive_command = 'cp %p %1/%f'").arg(m_archive)},
                              QProcessEnvironment::systemEnvironment(), &why),
                 qPrintable(why));
        QCOMPARE(m_src->sql(QStringLiteral("CREATE TABLE t (id int PRIMARY KEY)")), QString());
        m_home = m_tmp.filePath(QStringLiteral("home"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), dir(QStringLiteral("disk"))})
                     .exitCode,
                 0);
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("src"), QStringLiteral("--conninfo"),
                 m_src->conninfo(), QStringLiteral("--storage"), QStringLiteral("disk")})
                .exitCode,
            0);
        QVERIFY(switchAndPush());
        const auto base = ctl({QStringLiteral("basebackup"), QStringLiteral("src")});
        QVERIFY2(base.exitCode == 0, base.err.constData());
        m_src->sql(QStringLiteral("INSERT INTO t SELECT g FROM generate_series(1, 100) g"));
        QThread::msleep(1500);
        m_between = QDateTime::currentDateTimeUtc();
        QThread::msleep(1500);
        m_src->sql(QStringLiteral("INSERT INTO t SELECT g FROM generate_series(101, 250) g"));
        QVERIFY(switchAndPush());
    }

    void cleanupTestCase() {
        for (const QString &d : std::as_const(m_recovered))
            WalTestCluster::asOwner(m_src->binDir() + QStringLiteral("/pg_ctl"),
                                    {QStringLiteral("-D"), d, QStringLiteral("-m"), QStringLiteral("immediate"),
                                     QStringLiteral("-w"), QStringLiteral("stop")});
        m_src.reset();
    }

    void recoversToAMomentFromTheApp() {
        AppContext ctx(m_home);
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        RecoverDialog d(&ctx, QStringLiteral("src"));
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        d.activateWindow();
        QCOMPARE(d.profileField()->currentText(), QStringLiteral("src"));
        QVERIFY(!d.recoverButton()->isEnabled()); // nothing checked yet

        const QString data = dir(QStringLiteral("recovered"));
        const int port = WalTestCluster::freePort();
        QVERIFY(GuiTyping::replaceText(d.dataDirField(), data));
        QVERIFY(GuiTyping::replaceText(d.portField(), QString::number(port)));
        QCOMPARE(d.portField()->value(), port);
        QTest::mouseClick(d.atTimeButton(), Qt::LeftButton);
        QVERIFY(d.atTimeButton()->isChecked());

        // A moment before the oldest base backup: refused by the check, nothing written, Recover stays off.
        d.timeField()->setDateTime(QDateTime(QDate(2001, 1, 1), QTime(12, 0)));
        QSignalSpy checked(&d, &RecoverDialog::checked);
        QTest::mouseClick(d.checkButton(), Qt::LeftButton);
        QVERIFY(checked.wait(60000));
        QCOMPARE(checked.last().first().toBool(), false);
        QVERIFY2(d.planLabel()->text().contains(QStringLiteral("window")), qPrintable(d.planLabel()->text()));
        QVERIFY(!d.recoverButton()->isEnabled());
        QVERIFY(!QFileInfo::exists(data));
        QVERIFY(d.timeline()->hasWindow());
        QVERIFY(!d.timeline()->targetInside());

        // The moment between the two batches (the field shows seconds, in this computer's zone).
        d.timeField()->setDateTime(m_between.toLocalTime());
        QVERIFY(!d.recoverButton()->isEnabled()); // the inputs changed since the last check
        QTest::mouseClick(d.checkButton(), Qt::LeftButton);
        QVERIFY(checked.wait(60000));
        QVERIFY2(checked.last().first().toBool(), qPrintable(d.planLabel()->text()));
        QVERIFY(d.timeline()->targetInside());
        QVERIFY(d.recoverButton()->isEnabled());
        QVERIFY(!QFileInfo::exists(data)); // the check writes nothing

        QTest::mouseClick(d.keepRunningBox(), Qt::LeftButton);
        QVERIFY(d.keepRunningBox()->isChecked());
        QVERIFY(!d.recoverButton()->isEnabled()); // a changed input needs a new check
        QTest::mouseClick(d.checkButton(), Qt::LeftButton);
        QVERIFY(checked.wait(60000));
        QVERIFY(d.recoverButton()->isEnabled());

        QSignalSpy finished(&d, &RecoverDialog::recoveryFinished);
        QTest::mouseClick(d.recoverButton(), Qt::LeftButton);
        QVERIFY(d.isRunning());
        QVERIFY(finished.wait(600000));
        const JobResult r = d.lastResult();
        QVERIFY2(r.ok(), qPrintable(r.error.message + d.logView()->toPlainText().right(2000)));
        m_recovered << data;
        QVERIFY2(d.outcomeLabel()->text().contains(QStringLiteral("Recovered into")),
                 qPrintable(d.outcomeLabel()->text()));
        QVERIFY(d.outcomeLabel()->text().contains(QStringLiteral("before the target")));
        QVERIFY(!d.logView()->toPlainText().isEmpty());
        // Exactly the first batch.
        const auto rows = TestEnv::run(m_src->binDir() + QStringLiteral("/psql"),
                                       {QStringLiteral("-X"), QStringLiteral("-A"), QStringLiteral("-t"),
                                        QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                                        QString::number(port), QStringLiteral("-U"), QStringLiteral("postgres"),
                                        QStringLiteral("-d"), QStringLiteral("postgres"), QStringLiteral("-c"),
                                        QStringLiteral("SELECT count(*) || ':' || max(id) FROM t")});
        QCOMPARE(QString::fromUtf8(rows.out).trimmed(), QStringLiteral("100:100"));
        QVERIFY(!d.recoverButton()->isEnabled()); // the directory is in use now
        // LIFEBOAT_SCREENSHOT_DIR=…/docs/screenshots refreshes the documentation's copy.
        if (const QString shots = qEnvironmentVariable("LIFEBOAT_SCREENSHOT_DIR"); !shots.isEmpty()) {
            QTest::qWait(200);
            QVERIFY(d.grab().save(shots + QStringLiteral("/recover.png")));
        }
    }
};

QTEST_MAIN(TestGuiRecover)
#include "tst_gui_recover.moc"
