// The database backup use case (services/ops/DatabaseBackup) against a real configuration, catalog and the pg
// fixture: what the user named but does not exist (profile, storage, recipient) is an error with no job and no
// record; the password is the one the CredentialStore answers - also when PGPASSWORD says otherwise - and the keys
// a front end must read first (secretKeys) are exactly the ones prepare() reads.
#include "catalog/BackupRecord.h"
#include "catalog/ConfigStore.h"
#include "catalog/SqlCatalog.h"
#include "jobs/Job.h"
#include "ops/DatabaseBackup.h"
#include "secrets/MemoryCredentialStore.h"

#include "TestEnv.h"

#include <QDir>
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

    void secretKeysAreWhatPrepareReads() {
        DatabaseBackup::Request req;
        req.profile = QStringLiteral("shop");
        req.storages = {QStringLiteral("disk"), QStringLiteral("cloud")};
        const UseCaseContext probe = context(nullptr);
        const QStringList keys = DatabaseBackup::secretKeys(probe.config, req);
        QCOMPARE(keys, (QStringList{CredentialStore::profilePasswordKey(QStringLiteral("shop")),
                                    CredentialStore::storageSecretKey(QStringLiteral("cloud"))}));
        ReadLog secrets;
        PreparedJob p = DatabaseBackup::prepare(context(&secrets), req);
        QVERIFY2(p, qPrintable(p.error.message));
        QCOMPARE(QSet<QString>(secrets.asked.begin(), secrets.asked.end()), QSet<QString>(keys.begin(), keys.end()));
        QCOMPARE(records(), 0); // prepared, never run
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
