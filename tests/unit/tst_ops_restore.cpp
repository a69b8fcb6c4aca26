// The restore use case's resolution (ops/Restore, ops/ProductionServers) without a server: what it reads from the
// credential store and the RestoreJob request it builds from the names the user gave. The jobs themselves run
// against the real PostgreSQL fixture in tst_restore_cli, tst_set_production and tst_gui_restorewizard.
#include "ops/ProductionServers.h"
#include "ops/Restore.h"
#include "secrets/MemoryCredentialStore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

namespace {

// Remembers every key asked for, so a test can say that nothing was read.
class RecordingStore : public MemoryCredentialStore {
public:
    std::optional<QString> read(const QString &key) override {
        reads << key;
        return MemoryCredentialStore::read(key);
    }
    QStringList reads;
};

Profile profile(const QString &name, bool production) {
    Profile p;
    p.name = name;
    p.conninfo = QStringLiteral("host=/tmp port=5432 dbname=%1").arg(name);
    p.production = production;
    p.defaultStorages = {QStringLiteral("disk")};
    p.postRestoreCommand = production ? QString() : QStringLiteral("echo %1").arg(name);
    return p;
}

StorageConfig storage(const QString &name, const QString &kind, const QString &accessKeyId = {}) {
    StorageConfig s;
    s.name = name;
    s.kind = kind;
    s.accessKeyId = accessKeyId;
    return s;
}

} // namespace

class TstOpsRestore : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    ConfigStore m_config{QString()};
    RecordingStore m_store;

    UseCaseContext context() {
        UseCaseContext ctx;
        ctx.config = m_config;
        ctx.secrets = &m_store;
        return ctx;
    }
    static Restore::Request request(const QString &target) {
        Restore::Request r;
        r.source = QStringLiteral("42");
        r.target = target;
        r.options.targetDb = QStringLiteral("copy");
        return r;
    }

private slots:
    void init() {
        m_config = ConfigStore(m_dir.filePath(QStringLiteral("config.json")));
        m_config.upsertProfile(profile(QStringLiteral("staging"), false));
        m_config.upsertProfile(profile(QStringLiteral("shop"), true));
        m_config.upsertProfile(profile(QStringLiteral("erp"), true));
        m_config.upsertStorage(storage(QStringLiteral("disk"), QStringLiteral("local")));
        m_config.upsertStorage(storage(QStringLiteral("s3a"), QStringLiteral("s3"), QStringLiteral("AKIA1")));
        m_config.upsertStorage(storage(QStringLiteral("s3b"), QStringLiteral("s3"))); // the AWS chain
        m_store = RecordingStore();
        m_store.write(CredentialStore::profilePasswordKey(QStringLiteral("staging")), QStringLiteral("pw-staging"));
        m_store.write(CredentialStore::profilePasswordKey(QStringLiteral("shop")), QStringLiteral("pw-shop"));
        m_store.write(CredentialStore::storageSecretKey(QStringLiteral("s3a")), QStringLiteral("sk-a"));
    }

    void anUnknownTargetProfileIsRefusedBeforeAnythingIsRead() {
        const PreparedJob p = Restore::prepare(request(QStringLiteral("nosuch")), context());
        QVERIFY(!p);
        QCOMPARE(p.error.code, ExitCode::Usage);
        QVERIFY2(p.error.message.contains(QLatin1String("\"nosuch\" is neither a profile")),
                 qPrintable(p.error.message));
        QVERIFY2(m_store.reads.isEmpty(), qPrintable(m_store.reads.join(QLatin1Char(','))));
        QVERIFY(!QFile::exists(m_config.path())); // the settings were not written either
    }

    void aPasswordInsideTheTargetIsRefused() {
        const PreparedJob p =
            Restore::prepare(request(QStringLiteral("postgresql://u:secret@localhost/db")), context());
        QVERIFY(!p);
        QCOMPARE(p.error.code, ExitCode::Usage);
        QVERIFY(p.error.message.contains(QLatin1String("password inside the connection string")));
        QVERIFY(!p.error.message.contains(QLatin1String("u:secret"))); // the refusal never repeats it
        QVERIFY(m_store.reads.isEmpty());
    }

    void aProfileTargetGetsItsPasswordSecretsAndTheOtherProductionServers() {
        Error error;
        const auto req = Restore::jobRequest(request(QStringLiteral("staging")), context(), &error);
        QVERIFY2(req, qPrintable(error.message));
        QCOMPARE(req->options.targetProfile, QStringLiteral("staging"));
        QCOMPARE(req->options.targetConninfo, QStringLiteral("host=/tmp port=5432 dbname=staging"));
        QVERIFY(!req->options.targetProduction);
        QCOMPARE(req->options.postRestoreCommand, QStringLiteral("echo staging"));
        QCOMPARE(req->password, QStringLiteral("pw-staging"));
        QCOMPARE(req->storageSecrets.value(QStringLiteral("s3a")), QStringLiteral("sk-a"));
        QVERIFY(req->storageSecrets.contains(QStringLiteral("s3b")));
        QVERIFY(req->storageSecrets.value(QStringLiteral("s3b")).isEmpty());
        QVERIFY(!req->safetyBackup); // not a production target
        // Every production profile, from the settings, with its stored password.
        QCOMPARE(req->productionServers.size(), 2);
        QCOMPARE(req->productionServers[0].profile, QStringLiteral("shop"));
        QCOMPARE(req->productionServers[0].password, QStringLiteral("pw-shop"));
        QCOMPARE(req->productionServers[0].conninfo, QStringLiteral("host=/tmp port=5432 dbname=shop"));
        QVERIFY(req->productionServers[0].safetyBackup);
        QVERIFY(req->productionServers[0].safetyBackupOf);
        QCOMPARE(req->productionServers[1].profile, QStringLiteral("erp"));
        QVERIFY(req->productionServers[1].password.isEmpty()); // none stored: libpq's own sources
        // Exactly the keys the front ends read ahead, split by whether the user may be asked.
        const Restore::Request r = request(QStringLiteral("staging"));
        QCOMPARE(Restore::secretKeys(m_config, r),
                 QStringList({CredentialStore::profilePasswordKey(QStringLiteral("staging")),
                              CredentialStore::storageSecretKey(QStringLiteral("s3a"))}));
        QCOMPARE(Restore::storedSecretKeys(m_config, r),
                 QStringList({CredentialStore::profilePasswordKey(QStringLiteral("shop")),
                              CredentialStore::profilePasswordKey(QStringLiteral("erp"))}));
        QVERIFY(!m_store.reads.contains(CredentialStore::storageSecretKey(QStringLiteral("s3b"))));
    }

    void aProductionTargetGetsItsSafetyBackupAndIsNotItsOwnGuard() {
        Error error;
        const auto req = Restore::jobRequest(request(QStringLiteral("shop")), context(), &error);
        QVERIFY2(req, qPrintable(error.message));
        QVERIFY(req->options.targetProduction);
        QCOMPARE(req->password, QStringLiteral("pw-shop"));
        QVERIFY(req->safetyBackup);
        QCOMPARE(req->productionServers.size(), 1);
        QCOMPARE(req->productionServers[0].profile, QStringLiteral("erp"));
        QCOMPARE(ProductionServers::secretKeys(m_config, QStringLiteral("shop")),
                 QStringList({CredentialStore::profilePasswordKey(QStringLiteral("erp"))}));
    }

    void aPasswordGivenForTheRunIsUsedAndTheStoreNotAsked() {
        Restore::Request r = request(QStringLiteral("staging"));
        r.targetPassword = QStringLiteral("from-stdin");
        QVERIFY(
            !Restore::secretKeys(m_config, r).contains(CredentialStore::profilePasswordKey(QStringLiteral("staging"))));
        Error error;
        const auto req = Restore::jobRequest(r, context(), &error);
        QVERIFY2(req, qPrintable(error.message));
        QCOMPARE(req->password, QStringLiteral("from-stdin"));
        QVERIFY(!m_store.reads.contains(CredentialStore::profilePasswordKey(QStringLiteral("staging"))));
    }

    void aConnectionStringTargetIsEveryProductionProfilesGuardedTarget() {
        Restore::Request r = request(QStringLiteral("postgresql://u@localhost:5433/db"));
        r.targetPassword = QStringLiteral("typed");
        Error error;
        const auto req = Restore::jobRequest(r, context(), &error);
        QVERIFY2(req, qPrintable(error.message));
        QVERIFY(req->options.targetProfile.isEmpty());
        QVERIFY(!req->options.targetProduction);
        QVERIFY(req->options.targetConninfo.contains(QLatin1String("port='5433'")));
        QCOMPARE(req->password, QStringLiteral("typed"));
        QCOMPARE(req->productionServers.size(), 2);
        QVERIFY(!req->safetyBackup);
    }

    void withoutACredentialStoreNothingIsKnown() {
        UseCaseContext ctx = context();
        ctx.secrets = nullptr;
        Error error;
        const auto req = Restore::jobRequest(request(QStringLiteral("staging")), ctx, &error);
        QVERIFY2(req, qPrintable(error.message));
        QVERIFY(req->password.isEmpty());
        QVERIFY(req->storageSecrets.value(QStringLiteral("s3a")).isEmpty());
        QVERIFY(req->productionServers[0].password.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstOpsRestore)
#include "tst_ops_restore.moc"
