// `lifeboatctl set restore` has the production guard of `restore` (issue 14): a --target given as a URI that
// reaches a production profile's server — spelled differently (localhost for 127.0.0.1) — gets the production
// treatment: a typed confirmation, and a safety backup of that server's database before the database member
// restores over it. Real PostgreSQL (pg fixture), a real set backup and restore.
#include "TestEnv.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

class TstSetProduction : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_port;
    QString m_src;
    QString m_live;

    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args); }
    QString newDb(const QString &stem) {
        const QString name = QStringLiteral("setprod_%1_%2").arg(stem).arg(QRandomGenerator::global()->generate());
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(name));
        return name;
    }
    QJsonArray backupsOf(const QString &profile) {
        const auto r = ctl({QStringLiteral("--json"), QStringLiteral("list"), QStringLiteral("--profile"), profile});
        return QJsonDocument::fromJson(r.out).array();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        m_home = m_tmp.filePath(QStringLiteral("home"));
        QVERIFY(QDir().mkpath(m_home));
        m_port = TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_PORT"));
        QVERIFY2(!m_port.isEmpty(), "pg fixture not running");
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("store"))})
                     .exitCode,
                 0);
        m_src = newDb(QStringLiteral("src"));
        TestEnv::psql(m_src, QStringLiteral("CREATE TABLE orders (id int); INSERT INTO orders VALUES (1), (2)"));
        m_live = newDb(QStringLiteral("live"));
        TestEnv::psql(m_live, QStringLiteral("CREATE TABLE orders (id int); INSERT INTO orders SELECT "
                                             "generate_series(1, 7)"));
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("app"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=%2").arg(m_port, m_src)})
                .exitCode,
            0);
        // The production profile names the server as 127.0.0.1; the set restore below types localhost.
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("live"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=%2").arg(m_port, m_live),
                 QStringLiteral("--production"), QStringLiteral("--storage"), QStringLiteral("disk")})
                .exitCode,
            0);
        QCOMPARE(ctl({QStringLiteral("set"), QStringLiteral("add"), QStringLiteral("shop"), QStringLiteral("--profile"),
                      QStringLiteral("app"), QStringLiteral("--storage"), QStringLiteral("disk")})
                     .exitCode,
                 0);
    }

    void uriTargetOnProductionServerGetsTheGuard() {
        const auto b =
            ctl({QStringLiteral("--json"), QStringLiteral("set"), QStringLiteral("backup"), QStringLiteral("shop")});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QString setId = QJsonDocument::fromJson(b.out).object().value(QStringLiteral("setId")).toString();
        QVERIFY(!setId.isEmpty());
        const QString uri = QStringLiteral("postgresql://postgres@localhost:%1/postgres").arg(m_port);
        const QStringList base{QStringLiteral("--json"),      QStringLiteral("set"),
                               QStringLiteral("restore"),     setId,
                               QStringLiteral("--target"),    uri,
                               QStringLiteral("--target-db"), m_live,
                               QStringLiteral("--clean")};

        // Skipping the safety backup needs the typed confirmation on a production server.
        const auto skip = ctl(base + QStringList{QStringLiteral("--no-safety-backup")});
        QCOMPARE(skip.exitCode, 6);
        QVERIFY2(skip.out.contains("production profile \\\"live\\\""), skip.out.constData());
        QCOMPARE(TestEnv::psql(m_live, QStringLiteral("SELECT count(*) FROM orders")).trimmed(), QStringLiteral("7"));
        QCOMPARE(backupsOf(QStringLiteral("live")).size(), 0);

        // Confirmed: the production database is backed up first (a record of profile "live" holding its 7 rows),
        // then restored from the set.
        const auto r = ctl(base + QStringList{QStringLiteral("--confirm"), m_live});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("production profile \\\"live\\\""), r.out.constData());
        QCOMPARE(TestEnv::psql(m_live, QStringLiteral("SELECT count(*) FROM orders")).trimmed(), QStringLiteral("2"));
        const QJsonArray safety = backupsOf(QStringLiteral("live"));
        QCOMPARE(safety.size(), 1);
        const QString sbId = QString::number(safety.at(0)[QStringLiteral("id")].toInteger());
        const QString back = QStringLiteral("setprod_back_%1").arg(QRandomGenerator::global()->generate());
        const auto rb = ctl({QStringLiteral("restore"), sbId, QStringLiteral("--target"),
                             TestEnv::pgConninfo(QStringLiteral("postgres")), QStringLiteral("--target-db"), back,
                             QStringLiteral("--create")});
        QVERIFY2(rb.exitCode == 0, rb.err.constData());
        QCOMPARE(TestEnv::psql(back, QStringLiteral("SELECT count(*) FROM orders")).trimmed(), QStringLiteral("7"));
    }
};

QTEST_GUILESS_MAIN(TstSetProduction)
#include "tst_set_production.moc"
