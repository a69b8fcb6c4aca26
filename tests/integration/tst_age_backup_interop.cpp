// Encrypted backups outlive Lifeboat (issue 5): a backup Lifeboat encrypts opens with the stock `age` binary and
// restores with plain pg_restore; a dump encrypted by `age -r` restores with `lifeboatctl restore --identity`.
#include "TestEnv.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

class TstAgeBackupInterop : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home, m_db, m_key, m_recipient;
    QHash<QString, QString> m_pg;

    QString conn(const QString &db) const {
        return QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
            .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), db);
    }
    QString checksum(const QString &db) {
        return TestEnv::psql(db, QStringLiteral("SELECT md5(string_agg(v, ',' ORDER BY id)) FROM items"));
    }

private slots:
    void initTestCase() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        QVERIFY(!m_pg.isEmpty());
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_db = QStringLiteral("lb_ageio_%1").arg(QRandomGenerator::global()->bounded(1000000));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db,
                      QStringLiteral(
                          "CREATE TABLE items AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 100000) g"));
        m_key = m_tmp.filePath(QStringLiteral("id.key"));
        const auto keygen = TestEnv::run(QStringLiteral("age-keygen"), {QStringLiteral("-o"), m_key});
        QCOMPARE(keygen.exitCode, 0);
        QFile f(m_key);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        const int at = text.indexOf("age1");
        m_recipient = QString::fromLatin1(text.mid(at, text.indexOf('\n', at) - at));
        QVERIFY(m_recipient.startsWith(QStringLiteral("age1")));
        QCOMPARE(TestEnv::ctl(m_home, {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("d"),
                                       QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("store"))})
                     .exitCode,
                 0);
        QCOMPARE(TestEnv::ctl(m_home, {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("p"),
                                       QStringLiteral("--conninfo"), conn(m_db), QStringLiteral("--storage"),
                                       QStringLiteral("d")})
                     .exitCode,
                 0);
    }

    void lifeboatEncryptsStockAgeDecryptsPgRestoreRestores() {
        const auto b = TestEnv::ctl(m_home, {QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("p"),
                                             QStringLiteral("--recipient"), m_recipient});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QString id =
            QString::number(QJsonDocument::fromJson(b.out).object().value(QStringLiteral("id")).toInteger());
        const QJsonObject rec =
            QJsonDocument::fromJson(TestEnv::ctl(m_home, {QStringLiteral("--json"), QStringLiteral("show"), id}).out)
                .object();
        const QString stored = rec.value(QStringLiteral("locations"))
                                   .toArray()
                                   .first()
                                   .toObject()
                                   .value(QStringLiteral("path"))
                                   .toString();
        // The default: Lifeboat's zstd inside age; the stock age and zstd CLIs give back a pg_dump archive.
        QVERIFY(stored.endsWith(QStringLiteral(".dump.zst.age")));
        const QString packed = m_tmp.filePath(QStringLiteral("plain.dump.zst"));
        const QString plain = m_tmp.filePath(QStringLiteral("plain.dump"));
        const auto dec = TestEnv::run(QStringLiteral("age"), {QStringLiteral("-d"), QStringLiteral("-i"), m_key,
                                                              QStringLiteral("-o"), packed, stored});
        QVERIFY2(dec.exitCode == 0, dec.err.constData());
        const auto unz = TestEnv::run(
            QStringLiteral("zstd"), {QStringLiteral("-q"), QStringLiteral("-d"), packed, QStringLiteral("-o"), plain});
        QVERIFY2(unz.exitCode == 0, unz.err.constData());
        const QString target = m_db + QStringLiteral("_a");
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(target));
        const auto rest =
            TestEnv::run(TestEnv::pgBin(QStringLiteral("pg_restore")),
                         {QStringLiteral("--no-owner"), QStringLiteral("-d"), TestEnv::pgConninfo(target), plain});
        QVERIFY2(rest.exitCode == 0, rest.err.constData());
        QCOMPARE(checksum(target), checksum(m_db));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE %1").arg(target));
    }

    void stockAgeEncryptsLifeboatRestores() {
        const QString dump = m_tmp.filePath(QStringLiteral("by-hand.dump"));
        QCOMPARE(TestEnv::run(TestEnv::pgBin(QStringLiteral("pg_dump")),
                              {QStringLiteral("-Fc"), QStringLiteral("-f"), dump, TestEnv::pgConninfo(m_db)})
                     .exitCode,
                 0);
        const QString enc = dump + QStringLiteral(".age");
        QCOMPARE(
            TestEnv::run(QStringLiteral("age"), {QStringLiteral("-r"), m_recipient, QStringLiteral("-o"), enc, dump})
                .exitCode,
            0);
        QFile::remove(dump);
        const QString target = m_db + QStringLiteral("_b");
        const auto r = TestEnv::ctl(m_home, {QStringLiteral("restore"), enc, QStringLiteral("--target"),
                                             conn(QStringLiteral("postgres")), QStringLiteral("--target-db"), target,
                                             QStringLiteral("--create"), QStringLiteral("--identity"), m_key});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(checksum(target), checksum(m_db));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE %1").arg(target));

        // The wrong key: exit 4 and nothing created.
        const QString other = m_tmp.filePath(QStringLiteral("other.key"));
        QCOMPARE(TestEnv::run(QStringLiteral("age-keygen"), {QStringLiteral("-o"), other}).exitCode, 0);
        const auto wrong =
            TestEnv::ctl(m_home, {QStringLiteral("restore"), enc, QStringLiteral("--target"),
                                  conn(QStringLiteral("postgres")), QStringLiteral("--target-db"), target,
                                  QStringLiteral("--create"), QStringLiteral("--identity"), other});
        QCOMPARE(wrong.exitCode, 4);
        QVERIFY(wrong.err.contains("no identity matched this backup"));
        QCOMPARE(TestEnv::psql(QStringLiteral("postgres"),
                               QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'").arg(target)),
                 QStringLiteral("0"));
    }

    void identityKeptInTheCredentialStore() {
        // keygen --store keeps the identity in the (here: encrypted-file) credential store; restore finds it by name.
        const QString home = m_tmp.filePath(QStringLiteral("home-store"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LIFEBOAT_SECRETS_PASSPHRASE"), QStringLiteral("store-pass-1234"));
        QCOMPARE(TestEnv::ctl(home, {QStringLiteral("secrets"), QStringLiteral("use"), QStringLiteral("file")}, {}, env)
                     .exitCode,
                 0);
        const auto kg = TestEnv::ctl(
            home,
            {QStringLiteral("--json"), QStringLiteral("keygen"), QStringLiteral("--store"), QStringLiteral("recovery")},
            {}, env);
        QVERIFY2(kg.exitCode == 0, kg.err.constData());
        const QJsonObject k = QJsonDocument::fromJson(kg.out).object();
        QVERIFY(!k.contains(QStringLiteral("identity"))); // the secret half is not printed
        const QString recipient = k.value(QStringLiteral("recipient")).toString();
        QVERIFY(recipient.startsWith(QStringLiteral("age1")));
        QCOMPARE(TestEnv::ctl(home,
                              {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("d"),
                               QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("store2"))},
                              {}, env)
                     .exitCode,
                 0);
        QCOMPARE(
            TestEnv::ctl(home,
                         {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("p"),
                          QStringLiteral("--conninfo"), conn(m_db), QStringLiteral("--storage"), QStringLiteral("d")},
                         {}, env)
                .exitCode,
            0);
        const auto b = TestEnv::ctl(home,
                                    {QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("p"),
                                     QStringLiteral("--recipient"), recipient},
                                    {}, env);
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QString id =
            QString::number(QJsonDocument::fromJson(b.out).object().value(QStringLiteral("id")).toInteger());
        const QString target = m_db + QStringLiteral("_c");
        const auto r =
            TestEnv::ctl(home,
                         {QStringLiteral("restore"), id, QStringLiteral("--target"), conn(QStringLiteral("postgres")),
                          QStringLiteral("--target-db"), target, QStringLiteral("--create"),
                          QStringLiteral("--identity-name"), QStringLiteral("recovery")},
                         {}, env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(checksum(target), checksum(m_db));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE %1").arg(target));
        const auto missing =
            TestEnv::ctl(home,
                         {QStringLiteral("restore"), id, QStringLiteral("--target"), conn(QStringLiteral("postgres")),
                          QStringLiteral("--target-db"), target, QStringLiteral("--create"),
                          QStringLiteral("--identity-name"), QStringLiteral("nope")},
                         {}, env);
        QCOMPARE(missing.exitCode, 3);
        QVERIFY(missing.err.contains("keygen --store nope"));
    }

    void cleanupTestCase() {
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_db));
    }
};

QTEST_GUILESS_MAIN(TstAgeBackupInterop)
#include "tst_age_backup_interop.moc"
