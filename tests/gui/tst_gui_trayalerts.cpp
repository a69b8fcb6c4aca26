// The tray runner (TrayScheduleRunner, the desktop app's run-due) notices what did not happen beyond missed backups:
// a storage that grew past its --alert-growth-above threshold in the last 24 hours (storage.low) and a profile whose
// WAL capture lags or has a gap (wal.lag, wal.gap) — each told on the desktop once however many passes see it, and
// remembered in the settings run-due shares. The figures come from a real SQLite catalog (a completed backup, WAL
// rows as `wal push` records them); the profile's server does not answer (nothing listens on its port), so the lag
// is judged by the archive alone, against twice the profile's partial-upload interval (no receiver ran here). Time is
// pinned with the runner's clock.
#include "catalog/Catalog.h"
#include "ops/StorageLow.h"
#include "ops/WalCapture.h"
#include "ui/AppContext.h"
#include "ui/tray/TrayScheduleRunner.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestGuiTrayAlerts : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    std::unique_ptr<AppContext> m_ctx;
    std::unique_ptr<TrayScheduleRunner> m_runner;
    QDateTime m_now = QDateTime(QDate(2026, 3, 2), QTime(12, 0), QTimeZone::utc());

    void putSegment(const QString &name, const QDateTime &stored) {
        WalFileRecord w;
        w.profile = QStringLiteral("walp");
        w.timeline = 1;
        w.name = name;
        w.kind = QStringLiteral("segment");
        w.storage = QStringLiteral("disk");
        w.path = m_home.filePath(QStringLiteral("store/wal/walp/00000001/%1.zst").arg(name));
        w.size = 1024 * 1024;
        w.sha256 = QString(64, QLatin1Char('a'));
        w.plainSha256 = QString(64, QLatin1Char('b'));
        w.plainSize = 16 * 1024 * 1024;
        w.stored = stored;
        QString err;
        QVERIFY2(m_ctx->catalog()->putWalFile(w, &err), qPrintable(err));
    }
    int told(const QSignalSpy &spy, const QString &title, const QString &needle) {
        int n = 0;
        for (const QList<QVariant> &args : spy)
            n += args.at(0).toString() == title && args.at(1).toString().contains(needle);
        return n;
    }
    void pass() {
        QSignalSpy passes(m_runner.get(), &TrayScheduleRunner::passFinished);
        m_runner->checkNow();
        QTRY_COMPARE_WITH_TIMEOUT(passes.size(), 1, 30000);
        QTest::qWait(1500); // the WAL check runs on a worker after the pass and may take a refused connection
    }

private slots:
    void initTestCase() {
        m_ctx = std::make_unique<AppContext>(m_home.path());
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        int port = 0;
        {
            QTcpServer s; // a free port, closed again: connections to it are refused
            QVERIFY(s.listen(QHostAddress::LocalHost, 0));
            port = s.serverPort();
        }
        QVERIFY(m_ctx->updateConfig(
            [&](ConfigStore &c) {
                StorageConfig s;
                s.name = QStringLiteral("disk");
                s.localDir = m_home.filePath(QStringLiteral("store"));
                c.upsertStorage(s);
                Profile p;
                p.name = QStringLiteral("walp");
                p.conninfo = QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=postgres").arg(port);
                p.defaultStorages = {QStringLiteral("disk")};
                p.continuous = true;
                p.partialUploadSeconds = 400; // lag limit 800 s (13m)
                c.upsertProfile(p);
                StorageLow::setGrowthThreshold(&c, QStringLiteral("disk"), QStringLiteral("3M"));
            },
            &err));
        // 5 MiB stored an hour ago: over the 3M growth threshold.
        BackupRecord r;
        r.profile = QStringLiteral("walp");
        r.database = QStringLiteral("shop");
        r.filename = QStringLiteral("walp-shop.dump.zst");
        r.size = 5 * 1024 * 1024;
        r.status = QStringLiteral("COMPLETED");
        r.started = m_now.addSecs(-3700);
        r.finished = m_now.addSecs(-3600);
        r.locations = {
            {QStringLiteral("disk"), QStringLiteral("local"), m_home.filePath(QStringLiteral("store/x")), QString()}};
        QVERIFY2(m_ctx->catalog()->insert(r, &err), qPrintable(err));
        // WAL stored up to 10 minutes ago, segment 3 missing: a gap now, a lag once 800 s have passed.
        putSegment(QStringLiteral("000000010000000000000001"), m_now.addSecs(-900));
        putSegment(QStringLiteral("000000010000000000000002"), m_now.addSecs(-800));
        putSegment(QStringLiteral("000000010000000000000004"), m_now.addSecs(-600));
        m_runner = std::make_unique<TrayScheduleRunner>(m_ctx.get());
        m_runner->setClock([this] { return m_now; });
    }

    void eachAlertIsToldOnce() {
        QSignalSpy desktop(m_runner.get(), &TrayScheduleRunner::desktopNotification);
        pass();
        QTRY_COMPARE_WITH_TIMEOUT(told(desktop, QStringLiteral("Storage low on space"), QStringLiteral("grew by")), 1,
                                  10000);
        QTRY_COMPARE_WITH_TIMEOUT(
            told(desktop, QStringLiteral("WAL capture"), QStringLiteral("000000010000000000000003")), 1, 10000);
        QCOMPARE(told(desktop, QStringLiteral("WAL capture"), QStringLiteral("lags")), 0); // 600 s < 800 s
        // 900 s since the newest WAL: past twice the profile's interval.
        m_now = m_now.addSecs(300);
        pass();
        QTRY_COMPARE_WITH_TIMEOUT(told(desktop, QStringLiteral("WAL capture"), QStringLiteral("lags 15m (limit 13m)")),
                                  1, 10000);
        QVERIFY(
            m_ctx->config().option(QLatin1String(StorageLow::kSettingsKey)).contains(QStringLiteral("disk#growth")));
        const QString wal = m_ctx->config().option(QLatin1String(WalCapture::kSettingsKey));
        QVERIFY2(wal.contains(QStringLiteral("lag:walp:")) && wal.contains(QStringLiteral("gap:walp:")),
                 qPrintable(wal));
        // A minute later, nothing new: nothing told again.
        m_now = m_now.addSecs(60);
        pass();
        QCOMPARE(told(desktop, QStringLiteral("Storage low on space"), QStringLiteral("grew by")), 1);
        QCOMPARE(told(desktop, QStringLiteral("WAL capture"), QStringLiteral("lags")), 1);
        QCOMPARE(told(desktop, QStringLiteral("WAL capture"), QStringLiteral("000000010000000000000003")), 1);
    }

    void cleanupTestCase() {
        m_runner.reset();
        m_ctx.reset();
    }
};

QTEST_MAIN(TestGuiTrayAlerts)
#include "tst_gui_trayalerts.moc"
