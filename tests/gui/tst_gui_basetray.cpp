// The desktop app runs base backup schedules (issues 17/20, "continuous protection = base backup schedule + WAL
// capture"): TrayScheduleRunner claims a due schedule of kind "base" and runs DueRunner's BaseBackupJob through
// SourceJobBuilder, which reads the profile's password from the keychain — the throwaway cluster here
// (tests/integration/WalTestCluster.h) asks for a password (scram-sha-256) on TCP, also for replication. The run ends
// COMPLETED with a record of kind base whose WAL range is in the catalog, the schedule's last run recorded and the
// desktop told; a profile whose server is down ends FAILED with a FAILED base record and a failure on the desktop.
// Time is pinned with the runner's clock, never waited for.
#include "../integration/WalTestCluster.h"

#include "catalog/SqlCatalog.h"
#include "core/CredentialStore.h"
#include "secrets/KeychainCredentialStore.h"
#include "ui/AppContext.h"
#include "ui/tray/TrayScheduleRunner.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <future>

using namespace lifeboat;

class TestGuiBaseTray : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    std::unique_ptr<WalTestCluster> m_cluster;
    std::unique_ptr<AppContext> m_ctx;
    std::unique_ptr<TrayScheduleRunner> m_runner;
    QDateTime m_now;

    // The keychain is refused on the GUI thread.
    static bool keychainWrite(const QString &key, const QString &value) {
        return std::async(std::launch::async, [key, value] { return KeychainCredentialStore().write(key, value); })
            .get();
    }
    void addSchedule(const QString &name, const QString &profile) {
        ScheduleRecord s;
        s.name = name;
        s.sourceKind = QStringLiteral("base");
        s.profile = profile;
        s.cron = QStringLiteral("0 2 * * *");
        s.timeZone = QStringLiteral("UTC");
        s.created = m_now.addDays(-1).addSecs(3600); // after yesterday's 02:00: one fire time owed
        s.lastCheck = s.created;
        QString err;
        QVERIFY2(m_ctx->catalog()->saveSchedule(s, &err), qPrintable(err));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        QVERIFY(QFile::setPermissions(m_tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                        QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                                        QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                                        QFileDevice::ExeOther));
        m_cluster = std::make_unique<WalTestCluster>(m_tmp.filePath(QStringLiteral("cluster")));
        QString why;
        QVERIFY2(m_cluster->start({}, QProcessEnvironment::systemEnvironment(), &why), qPrintable(why));
        // TCP connections, replication included, need the password from now on (the socket stays trusted).
        QCOMPARE(m_cluster->sql(QStringLiteral("SET password_encryption = 'scram-sha-256'; ALTER ROLE postgres "
                                               "PASSWORD 'tray-base-pw'")),
                 QString());
        QFile hba(m_cluster->dataDir() + QStringLiteral("/pg_hba.conf"));
        QVERIFY(hba.open(QIODevice::WriteOnly | QIODevice::Truncate));
        hba.write("local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
                  "host replication all 127.0.0.1/32 scram-sha-256\n");
        hba.close();
        QCOMPARE(m_cluster->sql(QStringLiteral("SELECT pg_reload_conf()")), QStringLiteral("t"));
        QVERIFY(m_cluster->sql(QStringLiteral("SELECT 1")).startsWith(QLatin1String("ERROR"))); // no password

        m_ctx = std::make_unique<AppContext>(m_tmp.filePath(QStringLiteral("home")));
        QVERIFY2(m_ctx->open(&why), qPrintable(why));
        QVERIFY2(m_ctx->updateConfig(
                     [this](ConfigStore &c) {
                         StorageConfig s;
                         s.name = QStringLiteral("disk");
                         s.localDir = m_tmp.filePath(QStringLiteral("store"));
                         c.upsertStorage(s);
                         Profile p;
                         p.name = QStringLiteral("src");
                         p.conninfo = m_cluster->conninfo();
                         p.defaultStorages = {QStringLiteral("disk")};
                         c.upsertProfile(p);
                         Profile down = p;
                         down.name = QStringLiteral("down");
                         down.conninfo = QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=postgres "
                                                        "connect_timeout=5")
                                             .arg(WalTestCluster::freePort());
                         c.upsertProfile(down);
                         c.setOption(QStringLiteral("pgToolDir"), m_cluster->binDir());
                         c.setOption(QStringLiteral("desktopNotify"), QStringLiteral("always"));
                     },
                     &why),
                 qPrintable(why));
        if (!keychainWrite(CredentialStore::profilePasswordKey(QStringLiteral("src")), QStringLiteral("tray-base-pw")))
            QSKIP("no keychain here (run by tst_gui_basetray_keychain under dbus-run-session)");
        m_ctx->probeKeychain();
        QTRY_VERIFY_WITH_TIMEOUT(m_ctx->keychainKnown(), 15000);
        QVERIFY(m_ctx->keychain().available());
        m_now = QDateTime(QDate(2026, 1, 10), QTime(2, 0, 30), QTimeZone::utc());
        m_runner = std::make_unique<TrayScheduleRunner>(m_ctx.get());
        m_runner->setClock([this] { return m_now; });
    }

    void baseScheduleRunsWithTheKeychainPassword() {
        addSchedule(QStringLiteral("src-base"), QStringLiteral("src"));
        QSignalSpy finished(m_runner.get(), &TrayScheduleRunner::runFinished);
        QSignalSpy desktop(m_runner.get(), &TrayScheduleRunner::desktopNotification);
        m_runner->checkNow();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 180000);
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("src-base"));
        QCOMPARE(finished.first().at(1).toString(), QStringLiteral("COMPLETED"));
        const qint64 id = finished.first().at(2).toLongLong();
        QVERIFY(id > 0);
        const auto rec = m_ctx->catalog()->get(id);
        QVERIFY(rec);
        QCOMPARE(rec->kind, QStringLiteral("base"));
        QCOMPARE(rec->status, BackupRecord::statusCompleted());
        QCOMPARE(rec->label, QStringLiteral("schedule src-base"));
        QCOMPARE(rec->type, QStringLiteral("DAILY")); // 2026-01-10 is a Saturday, not the 1st
        QCOMPARE(rec->scheduledFor, QDateTime(QDate(2026, 1, 10), QTime(2, 0), QTimeZone::utc()));
        const auto range = m_ctx->catalog()->baseBackup(id);
        QVERIFY(range);
        QVERIFY(range->isValid());
        QVERIFY(!range->stopLsn.isEmpty());
        const auto sched = m_ctx->catalog()->schedule(QStringLiteral("src-base"));
        QCOMPARE(sched->lastBackupId, id);
        QCOMPARE(sched->lastStatus, QStringLiteral("COMPLETED"));
        QVERIFY(sched->lockOwner.isEmpty());
        QTRY_VERIFY(!desktop.isEmpty());
        QCOMPARE(desktop.last().at(2).toBool(), false);
        QVERIFY2(desktop.last().at(1).toString().contains(QStringLiteral("src-base")),
                 qPrintable(desktop.last().at(1).toString()));
        QVERIFY(!desktop.last().at(1).toString().contains(QStringLiteral("tray-base-pw")));
    }

    void downServerRecordsAFailedBaseBackup() {
        addSchedule(QStringLiteral("down-base"), QStringLiteral("down"));
        QSignalSpy finished(m_runner.get(), &TrayScheduleRunner::runFinished);
        QSignalSpy desktop(m_runner.get(), &TrayScheduleRunner::desktopNotification);
        m_runner->checkNow();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("down-base"));
        QCOMPARE(finished.first().at(1).toString(), QStringLiteral("FAILED"));
        const qint64 id = finished.first().at(2).toLongLong();
        QVERIFY(id > 0);
        const auto rec = m_ctx->catalog()->get(id);
        QVERIFY(rec);
        QCOMPARE(rec->kind, QStringLiteral("base"));
        QCOMPARE(rec->profile, QStringLiteral("down"));
        QCOMPARE(rec->status, BackupRecord::statusFailed());
        QCOMPARE(m_ctx->catalog()->schedule(QStringLiteral("down-base"))->lastStatus, QStringLiteral("FAILED"));
        QTRY_VERIFY(!desktop.isEmpty());
        QCOMPARE(desktop.last().at(2).toBool(), true);
    }

    void cleanupTestCase() {
        m_runner.reset();
        m_cluster.reset();
    }
};

QTEST_MAIN(TestGuiBaseTray)
#include "tst_gui_basetray.moc"
