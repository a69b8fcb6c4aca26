#include "catalog/AuditTrail.h"
#include "catalog/ConfigStore.h"
#include "catalog/SqlCatalog.h"

#include <QFile>
#include <QSemaphore>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>

using namespace lifeboat;

class TstCatalog : public QObject {
    Q_OBJECT

    static BackupRecord sample(const QString &profile, const QDateTime &started, const QString &status,
                               const QString &type = QStringLiteral("MANUAL")) {
        BackupRecord r;
        r.profile = profile;
        r.database = QStringLiteral("shop");
        r.type = type;
        r.filename = QStringLiteral("%1_shop_%2.dump").arg(profile, started.toString(Qt::ISODate));
        r.status = status;
        r.started = started;
        r.sha256 = QString(64, QLatin1Char('c'));
        r.host = QStringLiteral("ws1");
        r.locations = {{QStringLiteral("disk"), QStringLiteral("local"), QStringLiteral("/b/x.dump"),
                        QStringLiteral("/b/x.dump.manifest.json")}};
        return r;
    }

private slots:
    void migratesFreshAndReopens() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("catalog.sqlite"));
        {
            SqlCatalog c(QStringLiteral("QSQLITE"), path);
            QString err;
            QVERIFY2(c.open(&err), qPrintable(err));
            QCOMPARE(c.schemaVersion(), SqlCatalog::latestSchemaVersion());
        }
        {
            SqlCatalog c(QStringLiteral("QSQLITE"), path); // reopening applies nothing twice
            QString err;
            QVERIFY2(c.open(&err), qPrintable(err));
            QCOMPARE(c.schemaVersion(), SqlCatalog::latestSchemaVersion());
        }
        {
            // A catalog from a newer Lifeboat is refused, not damaged.
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("INSERT INTO schema_version VALUES (999, 'future')")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        SqlCatalog c(QStringLiteral("QSQLITE"), path);
        QString err;
        QVERIFY(!c.open(&err));
        QVERIFY2(err.contains(QStringLiteral("999")), qPrintable(err));
    }

    void insertUpdateListFilter() {
        QTemporaryDir dir;
        SqlCatalog c(QStringLiteral("QSQLITE"), dir.filePath(QStringLiteral("c.sqlite")));
        QString err;
        QVERIFY(c.open(&err));
        const QDateTime t0(QDate(2026, 1, 1), QTime(1, 0), QTimeZone::utc());
        BackupRecord a =
            sample(QStringLiteral("prod"), t0, BackupRecord::statusCompleted(), QStringLiteral("DAILY,WEEKLY"));
        BackupRecord b =
            sample(QStringLiteral("prod"), t0.addDays(1), BackupRecord::statusFailed(), QStringLiteral("DAILY"));
        BackupRecord d = sample(QStringLiteral("staging"), t0.addDays(2), BackupRecord::statusCompleted());
        QVERIFY(c.insert(a, &err));
        QVERIFY(c.insert(b, &err));
        QVERIFY(c.insert(d, &err));
        QVERIFY(a.id > 0 && b.id > a.id);

        auto got = c.get(a.id);
        QVERIFY(got);
        QCOMPARE(got->started, t0);
        QCOMPARE(got->locations.size(), 1);
        QCOMPARE(got->locations.first().manifestPath, QStringLiteral("/b/x.dump.manifest.json"));

        got->status = BackupRecord::statusDeleted();
        got->locations.clear();
        QVERIFY(c.update(*got, &err));
        QCOMPARE(c.get(a.id)->status, BackupRecord::statusDeleted());
        QVERIFY(c.get(a.id)->locations.isEmpty());

        CatalogFilter f;
        QCOMPARE(c.list(f).size(), 3);
        QCOMPARE(c.list(f).first().id, d.id); // newest first
        f.profile = QStringLiteral("prod");
        QCOMPARE(c.count(f), 2);
        f.type = QStringLiteral("WEEKLY");
        QCOMPARE(c.list(f).size(), 1);
        f = {};
        f.status = QStringLiteral("failed");
        QCOMPARE(c.list(f).size(), 1);
        f = {};
        f.since = t0.addSecs(3600);
        f.until = t0.addDays(2);
        QCOMPARE(c.list(f).size(), 1);
        QVERIFY(c.hasArtifact(d.filename, d.sha256));
        QVERIFY(!c.hasArtifact(d.filename, QString(64, QLatin1Char('0'))));
    }

    void setIdPersistsAndListsBySet() {
        QTemporaryDir dir;
        SqlCatalog c(QStringLiteral("QSQLITE"), dir.filePath(QStringLiteral("c.sqlite")));
        QString err;
        QVERIFY(c.open(&err));
        const QDateTime t0(QDate(2026, 3, 1), QTime(2, 0), QTimeZone::utc());
        const QString set1 = QStringLiteral("set-shop-20260301T020000Z");
        const QString set2 = QStringLiteral("set-shop-20260302T020000Z");
        BackupRecord db1 = sample(QStringLiteral("prod"), t0, BackupRecord::statusCompleted());
        db1.setId = set1;
        BackupRecord mirror1 = sample(QStringLiteral("uploads"), t0.addSecs(30), BackupRecord::statusCompleted());
        mirror1.kind = QStringLiteral("mirror");
        mirror1.setId = set1;
        BackupRecord db2 = sample(QStringLiteral("prod"), t0.addDays(1), BackupRecord::statusCompleted());
        db2.setId = set2;
        BackupRecord other = sample(QStringLiteral("blog"), t0.addDays(1), BackupRecord::statusCompleted());
        BackupRecord otherSet = sample(QStringLiteral("blog"), t0.addDays(2), BackupRecord::statusCompleted());
        otherSet.setId = QStringLiteral("set-blog-20260303T020000Z");
        for (BackupRecord *r : {&db1, &mirror1, &db2, &other, &otherSet})
            QVERIFY2(c.insert(*r, &err), qPrintable(err));

        QCOMPARE(c.get(db1.id)->setId, set1);
        QVERIFY(c.get(other.id)->setId.isEmpty());
        const QList<BackupRecord> members = c.listBySet(set1);
        QCOMPARE(members.size(), 2);
        QCOMPARE(members.at(0).id, db1.id); // capture order: database first
        QCOMPARE(members.at(1).kind, QStringLiteral("mirror"));
        QCOMPARE(c.setIds(), (QStringList{otherSet.setId, set2, set1}));
        QCOMPARE(c.setIds(QStringLiteral("set-shop-")), (QStringList{set2, set1}));
        QVERIFY(c.listBySet(QString()).isEmpty());

        BackupRecord moved = *c.get(other.id); // update writes the column too
        moved.setId = set2;
        QVERIFY(c.update(moved, &err));
        QCOMPARE(c.listBySet(set2).size(), 2);
        CatalogFilter f;
        f.inSetsOnly = true;
        QCOMPARE(c.count(f), 5);
    }

    void migrationFourKeepsOlderRecords() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.sqlite"));
        qint64 id = 0;
        {
            SqlCatalog c(QStringLiteral("QSQLITE"), path);
            QString err;
            QVERIFY(c.open(&err));
            BackupRecord r =
                sample(QStringLiteral("prod"), QDateTime::currentDateTimeUtc(), BackupRecord::statusCompleted());
            QVERIFY(c.insert(r, &err));
            id = r.id;
        }
        {
            // Turn it back into a version 3 catalog, as an older Lifeboat left it.
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v3"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("DROP INDEX backups_set")));
            QVERIFY2(q.exec(QStringLiteral("ALTER TABLE backups DROP COLUMN set_id")),
                     qPrintable(q.lastError().text()));
            QVERIFY(q.exec(QStringLiteral("DELETE FROM schema_version WHERE version >= 4")));
            // Undo the later migrations too (each adds only tables and columns), so 4 and all after it run again.
            for (const char *undo :
                 {"DROP TABLE IF EXISTS signing_keys", "DROP TABLE IF EXISTS backup_leases",
                  "ALTER TABLE backups DROP COLUMN scheduled_for", "ALTER TABLE schedules DROP COLUMN keep_hourly",
                  "ALTER TABLE schedules DROP COLUMN keep_yearly", "ALTER TABLE schedules DROP COLUMN keep_last",
                  "ALTER TABLE schedules DROP COLUMN keep_within", "ALTER TABLE backups DROP COLUMN owner",
                  "ALTER TABLE backup_locations DROP COLUMN removed",
                  "ALTER TABLE backup_locations DROP COLUMN removed_reason", "DROP TABLE IF EXISTS wal_files",
                  "ALTER TABLE schedules DROP COLUMN verify_target", "DROP TABLE IF EXISTS audit_log",
                  "DROP TABLE IF EXISTS base_backups", "ALTER TABLE backups DROP COLUMN bytes_read",
                  "ALTER TABLE schedules DROP COLUMN compression", "ALTER TABLE backups DROP COLUMN globals"})
                q.exec(QString::fromLatin1(undo)); // fails harmlessly for what this build does not have
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v3"));
        SqlCatalog c(QStringLiteral("QSQLITE"), path);
        QString err;
        QVERIFY2(c.open(&err), qPrintable(err));
        QCOMPARE(c.schemaVersion(), SqlCatalog::latestSchemaVersion());
        auto old = c.get(id);
        QVERIFY(old);
        QVERIFY(old->setId.isEmpty());
        old->setId = QStringLiteral("set-x-1");
        QVERIFY(c.update(*old, &err));
        QCOMPARE(c.listBySet(QStringLiteral("set-x-1")).size(), 1);
    }

    void retentionRulesAndFireTimeRoundTrip() {
        // Migration 6: a schedule's hourly/yearly/last/within rules (NULL = not overridden) and a record's fire time.
        QTemporaryDir dir;
        SqlCatalog c(QStringLiteral("QSQLITE"), dir.filePath(QStringLiteral("c.sqlite")));
        QString err;
        QVERIFY(c.open(&err));
        ScheduleRecord s;
        s.name = QStringLiteral("hourly");
        s.profile = QStringLiteral("prod");
        s.cron = QStringLiteral("0 * * * *");
        s.keepHourly = 48;
        s.keepYearly = 7;
        s.keepWithinSeconds = 7 * 86400;
        QVERIFY2(c.saveSchedule(s, &err), qPrintable(err));
        auto back = c.schedule(QStringLiteral("hourly"));
        QVERIFY(back);
        QCOMPARE(back->keepHourly, 48);
        QCOMPARE(back->keepYearly, 7);
        QCOMPARE(back->keepLast, -1);
        QCOMPARE(back->keepWithinSeconds, qint64(7 * 86400));
        QCOMPARE(back->keepDaily, -1);
        back->keepHourly = -1; // back to "not overridden"
        QVERIFY(c.saveSchedule(*back, &err));
        QCOMPARE(c.schedule(QStringLiteral("hourly"))->keepHourly, -1);

        BackupRecord r =
            sample(QStringLiteral("prod"), QDateTime::currentDateTimeUtc(), BackupRecord::statusCompleted());
        QVERIFY(c.insert(r, &err));
        QVERIFY(!c.get(r.id)->scheduledFor.isValid());
        r.scheduledFor = QDateTime(QDate(2026, 3, 29), QTime(1, 0), QTimeZone::utc());
        QVERIFY(c.update(r, &err));
        QCOMPARE(c.get(r.id)->scheduledFor, r.scheduledFor);
    }

    void staleInProgressBecomesFailed() {
        QTemporaryDir dir;
        SqlCatalog c(QStringLiteral("QSQLITE"), dir.filePath(QStringLiteral("c.sqlite")));
        QString err;
        QVERIFY(c.open(&err));
        BackupRecord dead =
            sample(QStringLiteral("prod"), QDateTime::currentDateTimeUtc(), BackupRecord::statusInProgress());
        dead.pid = 4194304 + 17; // beyond pid_max: certainly not running
        BackupRecord alive =
            sample(QStringLiteral("prod"), QDateTime::currentDateTimeUtc(), BackupRecord::statusInProgress());
        alive.pid = QCoreApplication::applicationPid();
        BackupRecord elsewhere = dead;
        elsewhere.host = QStringLiteral("another-host");
        QVERIFY(c.insert(dead, &err) && c.insert(alive, &err) && c.insert(elsewhere, &err));
        QCOMPARE(c.recoverInterrupted(QStringLiteral("ws1")), 1);
        QCOMPARE(c.get(dead.id)->status, BackupRecord::statusFailed());
        QVERIFY(c.get(dead.id)->error.contains(QStringLiteral("interrupted")));
        QCOMPARE(c.get(alive.id)->status, BackupRecord::statusInProgress());
        QCOMPARE(c.get(elsewhere.id)->status, BackupRecord::statusInProgress()); // other hosts' jobs are theirs
    }

    void usableFromWorkerThreads() {
        QTemporaryDir dir;
        SqlCatalog c(QStringLiteral("QSQLITE"), dir.filePath(QStringLiteral("c.sqlite")));
        QString err;
        QVERIFY(c.open(&err));
        QList<QThread *> threads;
        for (int t = 0; t < 4; ++t) {
            threads << QThread::create([&c, t] {
                for (int i = 0; i < 25; ++i) {
                    BackupRecord r = sample(QStringLiteral("p%1").arg(t), QDateTime::currentDateTimeUtc(),
                                            BackupRecord::statusCompleted());
                    QString e;
                    c.insert(r, &e);
                }
            });
        }
        for (auto *th : threads)
            th->start();
        for (auto *th : threads) {
            th->wait();
            delete th;
        }
        QCOMPARE(c.count({}), 100);
    }

    void manySequentialThreadsEachGetAWorkingConnection() {
        // Job threads come and go; a new one may get a dead one's address. Each must still find its own connection.
        QTemporaryDir dir;
        SqlCatalog c(QStringLiteral("QSQLITE"), dir.filePath(QStringLiteral("c.sqlite")));
        QString err;
        QVERIFY(c.open(&err));
        int ok = 0;
        for (int i = 0; i < 40; ++i) {
            std::unique_ptr<QThread> t(QThread::create([&] {
                BackupRecord r =
                    sample(QStringLiteral("seq"), QDateTime::currentDateTimeUtc(), BackupRecord::statusCompleted());
                QString e;
                if (c.insert(r, &e) && c.get(r.id))
                    ++ok;
            }));
            t->start();
            t->wait();
        }
        QCOMPARE(ok, 40);
    }

    void configStoreKeepsNoSecretsAndIsPrivate() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.json"));
        ConfigStore s(path);
        QString err;
        QVERIFY(s.load(&err));
        Profile p;
        p.name = QStringLiteral("prod");
        p.conninfo = QStringLiteral("host='db' dbname='shop'");
        p.production = true;
        p.excludeTables = {QStringLiteral("_prisma_migrations")};
        s.upsertProfile(p);
        StorageConfig st;
        st.name = QStringLiteral("bucket");
        st.kind = QStringLiteral("s3");
        st.bucket = QStringLiteral("b");
        s.upsertStorage(st);
        s.setOption(QStringLiteral("pgToolDir"), QStringLiteral("/opt/pg/bin"));
        QVERIFY(s.save(&err));
        QCOMPARE(QFile(path).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());

        ConfigStore back(path);
        QVERIFY(back.load(&err));
        QVERIFY(back.profile(QStringLiteral("prod"))->production);
        QCOMPARE(back.profile(QStringLiteral("prod"))->excludeTables, p.excludeTables);
        QVERIFY(back.storage(QStringLiteral("bucket"))->isS3());
        QCOMPARE(back.option(QStringLiteral("pgToolDir")), QStringLiteral("/opt/pg/bin"));
        QVERIFY(back.removeProfile(QStringLiteral("prod")));

        // Mirrors and application backup sets round-trip.
        MirrorConfig m{QStringLiteral("uploads"), QStringLiteral("app-bucket"), QStringLiteral("media/"),
                       QStringLiteral("bucket")};
        back.upsertMirror(m);
        SetConfig set;
        set.name = QStringLiteral("shop");
        set.profile = QStringLiteral("prod");
        set.mirrors = {QStringLiteral("uploads")};
        set.files = {QStringLiteral("media")};
        set.cron = QStringLiteral("0 2 * * *");
        set.keepDaily = 3;
        back.upsertSet(set);
        QVERIFY(back.save(&err));
        ConfigStore again(path);
        QVERIFY(again.load(&err));
        QCOMPARE(again.mirror(QStringLiteral("uploads"))->sourcePrefix, QStringLiteral("media/"));
        QCOMPARE(again.mirror(QStringLiteral("uploads"))->storage, QStringLiteral("bucket"));
        QCOMPARE(again.set(QStringLiteral("shop"))->mirrors, set.mirrors);
        QCOMPARE(again.set(QStringLiteral("shop"))->files, set.files);
        QCOMPARE(again.set(QStringLiteral("shop"))->keepDaily, 3);
        QCOMPARE(again.set(QStringLiteral("shop"))->keepWeekly, -1);
        QVERIFY(again.removeSet(QStringLiteral("shop")));
        QVERIFY(!again.set(QStringLiteral("shop")));
        QVERIFY(again.removeMirror(QStringLiteral("uploads")));
        QVERIFY(!back.removeProfile(QStringLiteral("prod")));

        QVERIFY(ConfigStore::isValidName(QStringLiteral("prod-eu_1.a")));
        QVERIFY(!ConfigStore::isValidName(QStringLiteral("../x")));
        QVERIFY(!ConfigStore::isValidName(QString()));

        QFile bad(dir.filePath(QStringLiteral("bad.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{oops");
        bad.close();
        ConfigStore broken(bad.fileName());
        QVERIFY(!broken.load(&err));
        QVERIFY(err.contains(QStringLiteral("not valid JSON")));
    }
    void editingAScheduleKeepsItsLastCheck() {
        // An editor open across a run writes back a stale copy: the runner's last check must survive it, or the run
        // it just made would be owed again.
        QTemporaryDir dir;
        auto c = SqlCatalog::sqlite(dir.filePath(QStringLiteral("catalog.sqlite")));
        QString err;
        QVERIFY2(c->open(&err), qPrintable(err));
        const QDateTime t0(QDate(2026, 3, 1), QTime(0, 30), QTimeZone::utc());
        const QDateTime t1(QDate(2026, 3, 1), QTime(1, 0), QTimeZone::utc());
        ScheduleRecord s;
        s.name = QStringLiteral("nightly");
        s.profile = QStringLiteral("shop");
        s.cron = QStringLiteral("0 1 * * *");
        s.created = s.lastCheck = t0;
        QVERIFY2(c->saveSchedule(s, &err), qPrintable(err));
        ScheduleRecord stale = *c->schedule(QStringLiteral("nightly")); // the editor opens
        QVERIFY2(c->markScheduleChecked(QStringLiteral("nightly"), t1, t1, 7, QStringLiteral("COMPLETED"), &err),
                 qPrintable(err)); // the 01:00 run happens meanwhile
        stale.cron = QStringLiteral("15 1 * * *");
        QVERIFY2(c->saveSchedule(stale, &err), qPrintable(err)); // the editor saves
        const auto now = c->schedule(QStringLiteral("nightly"));
        QCOMPARE(now->cron, QStringLiteral("15 1 * * *"));
        QCOMPARE(now->lastCheck, t1);
        QCOMPARE(now->lastBackupId, qint64(7));
    }

    void updateWaitsForAnotherWriterInsteadOfFailing() {
        // With the audit trail on, update() reads the old status before it writes. Under a deferred BEGIN that read
        // pins a snapshot, and SQLite refuses the later write at once ("database is locked", no busy wait) if another
        // connection writes meanwhile: a prune lost deletions that way while the app's other threads used the
        // catalog. The update must wait for the other writer and succeed.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("catalog.sqlite"));
        std::shared_ptr<SqlCatalog> c = SqlCatalog::sqlite(path);
        QString err;
        QVERIFY2(c->open(&err), qPrintable(err));
        BackupRecord r =
            sample(QStringLiteral("prod"), QDateTime::currentDateTimeUtc(), BackupRecord::statusCompleted());
        QVERIFY2(c->insert(r, &err), qPrintable(err));
        AuditTrail::install(c, QStringLiteral("tst_catalog"), false);
        QSemaphore holding;
        QSemaphore release;
        bool blockerOk = false;
        std::unique_ptr<QThread> blocker(QThread::create([&] {
            {
                QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("blocker"));
                other.setDatabaseName(path);
                other.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
                QSqlQuery q(other.open() ? other : QSqlDatabase());
                blockerOk = q.exec(QStringLiteral("BEGIN IMMEDIATE")) &&
                            q.exec(QStringLiteral("UPDATE backups SET label = 'other writer' WHERE id = %1").arg(r.id));
                holding.release();
                release.acquire(); // the update below has started meanwhile
                QThread::msleep(300);
                blockerOk = q.exec(QStringLiteral("COMMIT")) && blockerOk;
                other.close();
            }
            QSqlDatabase::removeDatabase(QStringLiteral("blocker"));
        }));
        blocker->start();
        holding.acquire();
        release.release();
        r.status = BackupRecord::statusExpired();
        const bool updated = c->update(r, &err);
        blocker->wait();
        AuditTrail::uninstall();
        QVERIFY(blockerOk);
        QVERIFY2(updated, qPrintable(err));
        QCOMPARE(c->get(r.id)->status, BackupRecord::statusExpired());
    }
};

QTEST_GUILESS_MAIN(TstCatalog)
#include "tst_catalog.moc"
