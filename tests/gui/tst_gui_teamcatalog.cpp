// The desktop app on a shared PostgreSQL catalog: settings' catalogUri names a database on the pg fixture,
// AppContext opens it through CatalogFactory (the same choice as lifeboatctl's --catalog), a backup made by
// `lifeboatctl --catalog URI` on another home shows up in AppContext::catalog() and the History model, and the tray
// runner runs a file source's schedule stored there (DueRunner → FilesBackupJob through AppContext::submitJob) once,
// and a Redis source's schedule against a real redis-server.
#include "TestEnv.h"

#include "catalog/CatalogFactory.h"
#include "core/Home.h"
#include "models/BackupHistoryModel.h"
#include "models/JobListModel.h"
#include "ui/AppContext.h"
#include "ui/tray/TrayScheduleRunner.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

class TstGuiTeamCatalog : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_catalogDb;
    QString m_sourceDb;

    QString guiHome() const { return m_tmp.filePath(QStringLiteral("gui-home")); }

private slots:
    void initTestCase() {
        QVERIFY2(!TestEnv::fixture(QStringLiteral("pg")).isEmpty(), "the pg fixture is not running");
        const int n = QRandomGenerator::global()->bounded(1000000);
        m_catalogDb = QStringLiteral("lb_gui_team_%1").arg(n);
        m_sourceDb = QStringLiteral("lb_gui_team_src_%1").arg(n);
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_catalogDb));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_sourceDb));
        TestEnv::psql(m_sourceDb, QStringLiteral("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 500) g"));
    }

    void factoryChoosesLikeTheCli() {
        const QString home = m_tmp.filePath(QStringLiteral("factory"));
        QVERIFY(CatalogFactory::forUri(QStringLiteral("postgresql://u@db/cat"), home)->isPostgres());
        QVERIFY(CatalogFactory::forUri(QStringLiteral("host=db dbname=cat"), home)->isPostgres());
        QVERIFY(!CatalogFactory::forUri(QStringLiteral("sqlite:/tmp/x.sqlite"), home)->isPostgres());
        QVERIFY(!CatalogFactory::forUri(QString(), home)->isPostgres());
        // An empty setting is the home's own catalog file; sqlite:PATH another file.
        ConfigStore config(Home::configPath(home));
        auto own = CatalogFactory::fromConfig(config, home);
        QString err;
        QVERIFY(Home::ensure(home, &err));
        QVERIFY2(own->open(&err), qPrintable(err));
        QVERIFY(QFile::exists(Home::catalogPath(home)));
        const QString other = m_tmp.filePath(QStringLiteral("other.sqlite"));
        config.setOption(QStringLiteral("catalogUri"), QStringLiteral("sqlite:") + other);
        auto elsewhere = CatalogFactory::fromConfig(config, home);
        QVERIFY2(elsewhere->open(&err), qPrintable(err));
        QVERIFY(QFile::exists(other));
        // An unreachable team catalog: the app does not start, and says which setting chose it.
        {
            const QString bad = m_tmp.filePath(QStringLiteral("bad-home"));
            ConfigStore c(Home::configPath(bad));
            QVERIFY(Home::ensure(bad, &err));
            c.setOption(QStringLiteral("catalogUri"),
                        QStringLiteral("host=127.0.0.1 port=1 dbname=nowhere connect_timeout=3"));
            QVERIFY2(c.save(&err), qPrintable(err));
            AppContext ctx(bad);
            QString why;
            QVERIFY(!ctx.open(&why));
            QVERIFY2(why.contains(QStringLiteral("catalogUri")) && why.contains(Home::configPath(bad)),
                     qPrintable(why));
        }
        // --catalog wins over the setting.
        QVERIFY(CatalogFactory::fromConfig(config, home, QStringLiteral("postgresql://u@db/cat"))->isPostgres());
    }

    void cliBackupAppearsInTheApp() {
        const QString uri = TestEnv::pgConninfo(m_catalogDb);
        // lifeboatctl on another home (another workstation), writing to the team catalog.
        const QString ctlHome = m_tmp.filePath(QStringLiteral("ctl-home"));
        const QStringList global{QStringLiteral("--catalog"), uri};
        auto r = TestEnv::ctl(ctlHome, global + QStringList{QStringLiteral("storage"), QStringLiteral("add"),
                                                            QStringLiteral("disk"), QStringLiteral("--local"),
                                                            m_tmp.filePath(QStringLiteral("ctl-store"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = TestEnv::ctl(ctlHome,
                         global + QStringList{QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shop"),
                                              QStringLiteral("--conninfo"), TestEnv::pgConninfo(m_sourceDb),
                                              QStringLiteral("--storage"), QStringLiteral("disk")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = TestEnv::ctl(ctlHome, QStringList{QStringLiteral("--json")} + global +
                                      QStringList{QStringLiteral("backup"), QStringLiteral("shop")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const qint64 id = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("id")).toInteger();
        QVERIFY(id > 0);

        // The app, with settings naming the team catalog.
        {
            ConfigStore config(Home::configPath(guiHome()));
            QString err;
            QVERIFY(Home::ensure(guiHome(), &err));
            config.setOption(QStringLiteral("catalogUri"), uri);
            QVERIFY2(config.save(&err), qPrintable(err));
        }
        AppContext ctx(guiHome());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        QVERIFY(std::dynamic_pointer_cast<SqlCatalog>(ctx.catalog())->isPostgres());
        QVERIFY(!QFile::exists(Home::catalogPath(guiHome()))); // the home's SQLite catalog was never made
        const auto rec = ctx.catalog()->get(id);
        QVERIFY(rec);
        QCOMPARE(rec->profile, QStringLiteral("shop"));
        QCOMPARE(rec->status, BackupRecord::statusCompleted());

        BackupHistoryModel history(ctx.catalog());
        history.reload();
        QTRY_VERIFY_WITH_TIMEOUT(!history.isLoading() && history.totalCount() == 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(history.rowCount(), 1, 20000);
        const int row = history.rowOfId(id);
        QCOMPARE(row, 0);
        QCOMPARE(history.index(row, BackupHistoryModel::ProfileColumn).data().toString(), QStringLiteral("shop"));
        QCOMPARE(history.index(row, BackupHistoryModel::DatabaseColumn).data().toString(), m_sourceDb);
    }

    void trayRunnerRunsAFileScheduleOnTheTeamCatalog() {
        AppContext ctx(guiHome());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        const QString dir = m_tmp.filePath(QStringLiteral("uploads"));
        QVERIFY(QDir().mkpath(dir + QStringLiteral("/a")));
        {
            QFile f(dir + QStringLiteral("/a/ünï.txt"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("uploaded");
        }
        QVERIFY2(ctx.updateConfig(
                     [&](ConfigStore &c) {
                         StorageConfig s;
                         s.name = QStringLiteral("gui-disk");
                         s.localDir = m_tmp.filePath(QStringLiteral("gui-store"));
                         c.upsertStorage(s);
                         FileSourceConfig f;
                         f.name = QStringLiteral("uploads");
                         f.path = dir;
                         f.storages = {QStringLiteral("gui-disk")};
                         c.upsertFileSource(f);
                     },
                     &err),
                 qPrintable(err));
        ScheduleRecord s;
        s.name = QStringLiteral("uploads-nightly");
        s.sourceKind = QStringLiteral("files");
        s.profile = QStringLiteral("uploads");
        s.cron = QStringLiteral("0 1 * * *");
        s.timeZone = QStringLiteral("UTC");
        s.created = s.lastCheck = QDateTime(QDate(2026, 1, 13), QTime(12, 0), QTimeZone::utc());
        QVERIFY2(ctx.catalog()->saveSchedule(s, &err), qPrintable(err));

        TrayScheduleRunner runner(&ctx);
        const QDateTime now(QDate(2026, 1, 14), QTime(1, 0, 30), QTimeZone::utc()); // a Wednesday
        runner.setClock([now] { return now; });
        QSignalSpy finished(&runner, &TrayScheduleRunner::runFinished);
        QSignalSpy started(&runner, &TrayScheduleRunner::runStarted);
        runner.checkNow();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("uploads-nightly"));
        QCOMPARE(finished.first().at(1).toString(), QStringLiteral("COMPLETED"));
        const qint64 id = finished.first().at(2).toLongLong();
        QVERIFY(id > 0);
        QCOMPARE(started.size(), 1);
        // Listed on the Jobs page as the schedule's job, under the source's name.
        JobListModel *jobs = ctx.jobs();
        QCOMPARE(jobs->index(jobs->rowCount() - 1, 0).data(JobListModel::ScheduleRole).toString(),
                 QStringLiteral("uploads-nightly"));
        QCOMPARE(jobs->state(jobs->rowCount() - 1), JobListModel::State::Succeeded);
        // Recorded in the team catalog: kind files, DAILY, the schedule's last run.
        QCOMPARE(TestEnv::psql(
                     m_catalogDb,
                     QStringLiteral("SELECT kind || ' ' || type || ' ' || status FROM backups WHERE id = %1").arg(id))
                     .trimmed(),
                 QStringLiteral("files DAILY COMPLETED"));
        QCOMPARE(ctx.catalog()->schedule(s.name)->lastBackupId, id);

        // The same instant again: nothing to run.
        QSignalSpy passes(&runner, &TrayScheduleRunner::passFinished);
        runner.checkNow();
        QTRY_COMPARE_WITH_TIMEOUT(passes.size(), 1, 20000);
        QCOMPARE(passes.first().at(0).toInt(), 0);
        QCOMPARE(
            TestEnv::psql(m_catalogDb, QStringLiteral("SELECT count(*) FROM backups WHERE kind = 'files'")).trimmed(),
            QStringLiteral("1"));
    }

    void trayRunnerRunsARedisSchedule() {
        // A real redis-server (no password: the offscreen test has no keychain to keep one in).
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        const QString rdir = m_tmp.filePath(QStringLiteral("redis"));
        QVERIFY(QDir().mkpath(rdir));
        QProcess redis;
        redis.start(QStringLiteral("/usr/bin/redis-server"),
                    {QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                     QString::number(port), QStringLiteral("--dir"), rdir, QStringLiteral("--save"), QString(),
                     QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--logfile"),
                     rdir + QStringLiteral("/redis.log")});
        QVERIFY(redis.waitForStarted());
        auto cli = [port](const QStringList &args) {
            QProcess p;
            p.start(QStringLiteral("redis-cli"), QStringList{QStringLiteral("-p"), QString::number(port)} + args);
            p.waitForFinished(20000);
            return p.readAllStandardOutput().trimmed();
        };
        for (int i = 0; i < 100 && cli({QStringLiteral("PING")}) != "PONG"; ++i)
            QTest::qWait(100);
        QCOMPARE(cli({QStringLiteral("SET"), QStringLiteral("job:7"), QStringLiteral("queued")}), QByteArray("OK"));

        AppContext ctx(guiHome());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        QVERIFY2(ctx.updateConfig(
                     [&](ConfigStore &c) {
                         RedisSourceConfig r;
                         r.name = QStringLiteral("queue");
                         r.url = QStringLiteral("redis://127.0.0.1:%1").arg(port);
                         r.storages = {QStringLiteral("gui-disk")};
                         c.upsertRedisSource(r);
                     },
                     &err),
                 qPrintable(err));
        ScheduleRecord s;
        s.name = QStringLiteral("queue-nightly");
        s.sourceKind = QStringLiteral("redis");
        s.profile = QStringLiteral("queue");
        s.cron = QStringLiteral("0 1 * * *");
        s.timeZone = QStringLiteral("UTC");
        s.created = s.lastCheck = QDateTime(QDate(2026, 1, 13), QTime(12, 0), QTimeZone::utc());
        QVERIFY2(ctx.catalog()->saveSchedule(s, &err), qPrintable(err));

        TrayScheduleRunner runner(&ctx);
        const QDateTime now(QDate(2026, 1, 14), QTime(1, 0, 30), QTimeZone::utc());
        runner.setClock([now] { return now; });
        QSignalSpy finished(&runner, &TrayScheduleRunner::runFinished);
        runner.checkNow();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("queue-nightly"));
        QCOMPARE(finished.first().at(1).toString(), QStringLiteral("COMPLETED"));
        const qint64 id = finished.first().at(2).toLongLong();
        const auto rec = ctx.catalog()->get(id);
        QVERIFY(rec);
        QCOMPARE(rec->kind, QStringLiteral("redis"));
        QCOMPARE(rec->type, QStringLiteral("DAILY"));
        QVERIFY(QFile::exists(rec->locations.first().path));
        redis.terminate();
        redis.waitForFinished(5000);
    }

    void cleanupTestCase() {
        for (const QString &db : {m_catalogDb, m_sourceDb})
            if (!db.isEmpty())
                TestEnv::psql(QStringLiteral("postgres"),
                              QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(db));
    }
};

QTEST_MAIN(TstGuiTeamCatalog)
#include "tst_gui_teamcatalog.moc"
