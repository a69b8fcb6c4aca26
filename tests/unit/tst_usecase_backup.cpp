// The database backup use case (services/ops/DatabaseBackup) against a real configuration, catalog and the pg
// fixture: what the user named but does not exist (profile, storage, recipient) is an error with no job and no
// record; the password is the one the CredentialStore answers - also when PGPASSWORD says otherwise - and the keys
// a front end must read first (secretKeys) are exactly the ones prepare() reads.
#include "catalog/BackupRecord.h"
#include "catalog/ConfigStore.h"
#include "catalog/RedisSourceConfig.h"
#include "catalog/SqlCatalog.h"
#include "jobs/Job.h"
#include "ops/BaseBackup.h"
#include "ops/DatabaseBackup.h"
#include "ops/FilesBackup.h"
#include "ops/RedisBackup.h"
#include "secrets/MemoryCredentialStore.h"

#include "TestEnv.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

namespace {
// Every key the use case asked for, answered by a MemoryCredentialStore (the app's store) underneath.
class ReadLog : public MemoryCredentialStore {
public:
    std::optional<QString> read(const QString &key) override {
        asked << key;
        return MemoryCredentialStore::read(key);
    }
    QStringList asked;
};
} // namespace

class TestUseCaseBackup : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::shared_ptr<SqlCatalog> m_catalog;
    QString m_disk;
    QString m_password;

    UseCaseContext context(CredentialStore *secrets) {
        ConfigStore config(m_tmp.filePath(QStringLiteral("config.json")));
        Profile shop;
        shop.name = QStringLiteral("shop");
        shop.conninfo = TestEnv::pgConninfo(QStringLiteral("postgres"), false);
        shop.defaultStorages = {QStringLiteral("disk")};
        config.upsertProfile(shop);
        Profile bare = shop;
        bare.name = QStringLiteral("bare");
        bare.defaultStorages.clear();
        config.upsertProfile(bare);
        StorageConfig disk;
        disk.name = QStringLiteral("disk");
        disk.localDir = m_disk;
        config.upsertStorage(disk);
        StorageConfig s3;
        s3.name = QStringLiteral("cloud");
        s3.kind = QStringLiteral("s3");
        s3.endpoint = QStringLiteral("http://127.0.0.1:9");
        s3.bucket = QStringLiteral("b");
        s3.accessKeyId = QStringLiteral("AKID");
        config.upsertStorage(s3);
        RedisSourceConfig cache;
        cache.name = QStringLiteral("cache");
        cache.url = QStringLiteral("redis://127.0.0.1:9");
        cache.storages = {QStringLiteral("cloud")};
        config.upsertRedisSource(cache);
        config.setOption(QStringLiteral("pgToolDir"),
                         TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_BIN")));
        UseCaseContext ctx;
        ctx.catalog = m_catalog;
        ctx.config = config;
        ctx.secrets = secrets;
        ctx.watchStalls = false;
        return ctx;
    }
    int records() { return int(m_catalog->list(CatalogFilter{}).size()); }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        m_password = TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_PASSWORD"));
        QVERIFY2(!m_password.isEmpty(), "the pg fixture is not running");
        m_disk = m_tmp.filePath(QStringLiteral("disk"));
        QVERIFY(QDir().mkpath(m_disk));
        m_catalog = SqlCatalog::sqlite(m_tmp.filePath(QStringLiteral("catalog.sqlite")));
        QString err;
        QVERIFY2(m_catalog->open(&err), qPrintable(err));
        // libpq's own sources must not supply the password behind the test's back.
        qputenv("HOME", m_tmp.path().toUtf8());
        qunsetenv("PGPASSFILE");
        qunsetenv("PGPASSWORD");
    }

    void whatDoesNotExistIsAnErrorWithNothingRecorded_data() {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QStringList>("storages");
        QTest::addColumn<QStringList>("recipients");
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("keepDays");
        QTest::addColumn<QString>("message");
        QTest::newRow("profile") << "nope" << QStringList() << QStringList() << "MANUAL" << 0
                                 << "unknown profile \"nope\"";
        QTest::newRow("storage") << "shop" << QStringList{QStringLiteral("nosuch")} << QStringList() << "MANUAL" << 0
                                 << "unknown storage \"nosuch\"";
        QTest::newRow("recipient") << "shop" << QStringList() << QStringList{QStringLiteral("age1notakey")} << "MANUAL"
                                   << 0 << "--recipient: ";
        QTest::newRow("no default storage")
            << "bare" << QStringList() << QStringList() << "MANUAL" << 0 << "profile \"bare\" has no default";
        QTest::newRow("keep-days of a daily")
            << "shop" << QStringList() << QStringList() << "DAILY" << 3 << "--keep-days is for manual backups";
    }
    void whatDoesNotExistIsAnErrorWithNothingRecorded() {
        QFETCH(QString, profile);
        QFETCH(QStringList, storages);
        QFETCH(QStringList, recipients);
        QFETCH(QString, type);
        QFETCH(int, keepDays);
        QFETCH(QString, message);
        ReadLog secrets;
        secrets.write(CredentialStore::profilePasswordKey(QStringLiteral("shop")), m_password);
        DatabaseBackup::Request req;
        req.profile = profile;
        req.storages = storages;
        if (!recipients.isEmpty())
            req.recipients = recipients;
        req.options.type = type;
        req.keepDays = keepDays;
        PreparedJob p = DatabaseBackup::prepare(context(&secrets), req);
        QVERIFY(!p);
        QCOMPARE(p.error.code, ExitCode::Usage);
        QVERIFY2(p.error.message.contains(message), qPrintable(p.error.message));
        QVERIFY(!p.finished);
        // Refused before any secret is read: nothing asked for on a terminal for a command that cannot run.
        QVERIFY2(secrets.asked.isEmpty(), qPrintable(secrets.asked.join(QLatin1Char(','))));
        QCOMPARE(records(), 0);
        QVERIFY(QDir(m_disk).isEmpty());
    }

    // The other kinds resolve the same way: what is not there is an error before anything is read or recorded.
    void otherKindsRefuseWhatIsNotThere() {
        ReadLog secrets;
        const UseCaseContext ctx = context(&secrets);
        BaseBackup::Request base;
        base.profile = QStringLiteral("nope");
        PreparedJob p = BaseBackup::prepare(ctx, base);
        QVERIFY(!p);
        QVERIFY2(p.error.message.contains(QStringLiteral("unknown profile \"nope\"")), qPrintable(p.error.message));
        FilesBackup::Request files;
        files.source = QStringLiteral("docs");
        p = FilesBackup::prepare(ctx, files);
        QVERIFY(!p);
        QVERIFY2(p.error.message.contains(QStringLiteral("no file source \"docs\"")), qPrintable(p.error.message));
        files.path = m_tmp.path();
        files.storages = {QStringLiteral("nosuch")};
        p = FilesBackup::prepare(ctx, files);
        QVERIFY(!p);
        QVERIFY2(p.error.message.contains(QStringLiteral("unknown storage \"nosuch\"")), qPrintable(p.error.message));
        RedisBackup::Request redis;
        redis.source = QStringLiteral("other");
        p = RedisBackup::prepare(ctx, redis);
        QVERIFY(!p);
        QVERIFY2(p.error.message.contains(QStringLiteral("no Redis source \"other\"")), qPrintable(p.error.message));
        QVERIFY2(secrets.asked.isEmpty(), qPrintable(secrets.asked.join(QLatin1Char(','))));
        QCOMPARE(records(), 0);
    }

    // A configured Redis source's password is read from the store under its key, with its storages' secrets.
    void redisSecretsComeFromTheStore() {
        ReadLog secrets;
        RedisBackup::Request redis;
        redis.source = QStringLiteral("cache");
        const UseCaseContext ctx = context(&secrets);
        const QStringList keys = RedisBackup::secretKeys(ctx.config, redis);
        QCOMPARE(keys, (QStringList{RedisSourceConfig::passwordKey(QStringLiteral("cache")),
                                    CredentialStore::storageSecretKey(QStringLiteral("cloud"))}));
        PreparedJob p = RedisBackup::prepare(ctx, redis);
        QVERIFY2(p, qPrintable(p.error.message));
        QCOMPARE(QSet<QString>(secrets.asked.begin(), secrets.asked.end()), QSet<QString>(keys.begin(), keys.end()));
    }

    // A file backup prepared here runs and is recorded like one from the command line.
    void aFilesBackupRuns() {
        const QString dir = m_tmp.filePath(QStringLiteral("tree"));
        QVERIFY(QDir().mkpath(dir));
        QFile f(dir + QStringLiteral("/a.txt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("hello");
        f.close();
        MemoryCredentialStore secrets;
        FilesBackup::Request files;
        files.source = QStringLiteral("tree");
        files.path = dir;
        files.storages = {QStringLiteral("disk")};
        PreparedJob p = FilesBackup::prepare(context(&secrets), files);
        QVERIFY2(p, qPrintable(p.error.message));
        const JobResult r = p.job->run();
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        p.finished(r);
        const auto rec = m_catalog->get(r.recordId);
        QVERIFY(rec);
        QCOMPARE(rec->kind, QStringLiteral("files"));
        QCOMPARE(rec->status, BackupRecord::statusCompleted());
    }

    void secretKeysAreWhatPrepareReads() {
        DatabaseBackup::Request req;
        req.profile = QStringLiteral("shop");
        req.storages = {QStringLiteral("disk"), QStringLiteral("cloud")};
        const UseCaseContext probe = context(nullptr);
        const QStringList keys = DatabaseBackup::secretKeys(probe.config, req);
        QCOMPARE(keys, (QStringList{CredentialStore::profilePasswordKey(QStringLiteral("shop")),
                                    CredentialStore::storageSecretKey(QStringLiteral("cloud"))}));
        ReadLog secrets;
        const int before = records();
        PreparedJob p = DatabaseBackup::prepare(context(&secrets), req);
        QVERIFY2(p, qPrintable(p.error.message));
        QCOMPARE(QSet<QString>(secrets.asked.begin(), secrets.asked.end()), QSet<QString>(keys.begin(), keys.end()));
        QCOMPARE(records(), before); // prepared, never run
    }

    void thePasswordIsTheStores() {
        MemoryCredentialStore secrets;
        secrets.write(CredentialStore::profilePasswordKey(QStringLiteral("shop")), m_password);
        DatabaseBackup::Request req;
        req.profile = QStringLiteral("shop");
        req.options.schemaOnly = true;
        PreparedJob p = DatabaseBackup::prepare(context(&secrets), req);
        QVERIFY2(p, qPrintable(p.error.message));
        const JobResult r = p.job->run();
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        p.finished(r);
        const auto rec = m_catalog->get(r.recordId);
        QVERIFY(rec);
        QCOMPARE(rec->status, BackupRecord::statusCompleted());
        QCOMPARE(rec->profile, QStringLiteral("shop"));
        QVERIFY(!QDir(m_disk).isEmpty());
    }

    void thePasswordIsNeverTheEnvironments() {
        // The right password only in PGPASSWORD, a wrong one in the store: the store's is used, and refused.
        qputenv("PGPASSWORD", m_password.toUtf8());
        MemoryCredentialStore secrets;
        secrets.write(CredentialStore::profilePasswordKey(QStringLiteral("shop")), QStringLiteral("wrong-password"));
        DatabaseBackup::Request req;
        req.profile = QStringLiteral("shop");
        req.options.schemaOnly = true;
        PreparedJob p = DatabaseBackup::prepare(context(&secrets), req);
        QVERIFY2(p, qPrintable(p.error.message));
        const JobResult r = p.job->run();
        qunsetenv("PGPASSWORD");
        QVERIFY(!r.ok());
        QVERIFY2(r.error.message.contains(QStringLiteral("password authentication failed")),
                 qPrintable(r.error.message));
    }

    void keepDaysIsRecorded() {
        MemoryCredentialStore secrets;
        secrets.write(CredentialStore::profilePasswordKey(QStringLiteral("shop")), m_password);
        DatabaseBackup::Request req;
        req.profile = QStringLiteral("shop");
        req.options.schemaOnly = true;
        req.keepDays = 3;
        PreparedJob p = DatabaseBackup::prepare(context(&secrets), req);
        QVERIFY2(p, qPrintable(p.error.message));
        const JobResult r = p.job->run();
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        p.finished(r);
        const auto rec = m_catalog->get(r.recordId);
        QVERIFY(rec);
        QCOMPARE(rec->expires, rec->started.addDays(3));
    }
};

QTEST_GUILESS_MAIN(TestUseCaseBackup)
#include "tst_usecase_backup.moc"
