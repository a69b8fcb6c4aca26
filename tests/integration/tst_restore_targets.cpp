// lifeboatctl restore against the real PostgreSQL fixture, over targets that are in use or need more than a
// plain restore: sessions connected to the target and --terminate-connections, post-restore commands that pass and
// fail, a SCRAM user's password from --secret-env, errors pg_restore reports, and a restore cancelled with SIGINT
// mid-COPY. Fidelity, selective restores, refusals and verification are in tst_restore.
#include "RestoreFixture.h"

#include <QProcess>

#include <csignal>
#include <sys/types.h>

class TestRestoreTargets : public QObject, private RestoreFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpSource(); }

    void connectionsAndPostRestoreCommand() {
        const QString target = newDbName(QStringLiteral("con"));
        QCOMPARE(ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                      QStringLiteral("--target-db"), target, QStringLiteral("--create")})
                     .exitCode,
                 0);
        // Somebody is connected to the target.
        QProcess sleeper;
        sleeper.start(TestEnv::pgBin(QStringLiteral("psql")),
                      {QStringLiteral("-X"), QStringLiteral("-d"),
                       TestEnv::pgConninfo(target) + QStringLiteral(" application_name=sleeper"), QStringLiteral("-c"),
                       QStringLiteral("SELECT pg_sleep(120)")});
        QVERIFY(sleeper.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sleeper'")),
            QStringLiteral("1"), 20000);
        TestEnv::Run r =
            ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                 QStringLiteral("--target-db"), target, QStringLiteral("--clean"), QStringLiteral("--tables"),
                 QStringLiteral("inventory.audit"), QStringLiteral("--confirm"), target});
        QCOMPARE(r.exitCode, 6);
        QVERIFY(r.err.contains("sleeper"));
        QVERIFY(r.err.contains("--terminate-connections"));

        // A profile with a post-restore command; --terminate-connections ends the session.
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("post"),
                      QStringLiteral("--conninfo"), TestEnv::pgConninfo(target), QStringLiteral("--post-restore"),
                      TestEnv::pgBin(QStringLiteral("psql")) +
                          QStringLiteral(" -X -At -c 'SELECT count(*) FROM inventory.audit' && echo post-restore-ran")})
                     .exitCode,
                 0);
        r = ctl({QStringLiteral("--json"), QStringLiteral("restore"), m_backupId, QStringLiteral("--target"),
                 QStringLiteral("post"), QStringLiteral("--target-db"), target, QStringLiteral("--clean"),
                 QStringLiteral("--tables"), QStringLiteral("inventory.audit"), QStringLiteral("--confirm"), target,
                 QStringLiteral("--terminate-connections")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(sleeper.waitForFinished(20000));
        const QJsonObject d = QJsonDocument::fromJson(r.out).object();
        const QJsonObject post = d.value(QStringLiteral("postRestore")).toObject();
        QCOMPARE(post.value(QStringLiteral("exitCode")).toInt(), 0);
        const QStringList output = post.value(QStringLiteral("output")).toVariant().toStringList();
        QCOMPARE(output, (QStringList{QStringLiteral("1500"), QStringLiteral("post-restore-ran")}));
        const QJsonObject restore = d.value(QStringLiteral("restore")).toObject();
        QVERIFY(restore.value(QStringLiteral("itemsTotal")).toInt() > 0);
        QCOMPARE(restore.value(QStringLiteral("itemsDone")).toInt(),
                 restore.value(QStringLiteral("itemsTotal")).toInt());

        // A failing post-restore command fails the run (exit 1) after the restore itself succeeded.
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("postfail"),
                      QStringLiteral("--conninfo"), TestEnv::pgConninfo(target), QStringLiteral("--post-restore"),
                      QStringLiteral("echo migrating; exit 3")})
                     .exitCode,
                 0);
        r = ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("postfail"),
                 QStringLiteral("--target-db"), target, QStringLiteral("--clean"), QStringLiteral("--tables"),
                 QStringLiteral("inventory.audit"), QStringLiteral("--confirm"), target});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("post-restore command"));
    }

    void restoreAsPasswordUser() {
        // The SCRAM user, password from a named environment variable: it reaches pg_restore via PGPASSFILE.
        const QString target = newDbName(QStringLiteral("pw"));
        const auto pg = TestEnv::fixture(QStringLiteral("pg"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LB_TEST_PW"), pg.value(QStringLiteral("PG_PASSWORD")));
        const TestEnv::Run r = TestEnv::ctl(
            m_home,
            {QStringLiteral("restore"), m_backupId, QStringLiteral("--target"),
             QStringLiteral("host=%1 port=%2 user=%3 dbname=postgres")
                 .arg(pg.value(QStringLiteral("PG_HOST")), pg.value(QStringLiteral("PG_PORT")),
                      pg.value(QStringLiteral("PG_USER"))),
             QStringLiteral("--target-db"), target, QStringLiteral("--create"), QStringLiteral("--secret-env"),
             QStringLiteral("LB_TEST_PW"), QStringLiteral("--tables"), QStringLiteral("Sales.Customer")},
            {}, env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM \"Sales\".\"Customer\"")),
                 QStringLiteral("200"));
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT tableowner FROM pg_tables WHERE tablename = 'Customer'")),
                 pg.value(QStringLiteral("PG_USER")));
        // A wrong password: the target is unreachable, a refusal before anything is touched.
        env.insert(QStringLiteral("LB_TEST_PW"), QStringLiteral("wrong-password"));
        const QString other = newDbName(QStringLiteral("pwx"));
        const TestEnv::Run bad =
            TestEnv::ctl(m_home,
                         {QStringLiteral("restore"), m_backupId, QStringLiteral("--target"),
                          QStringLiteral("host=%1 port=%2 user=%3 dbname=postgres")
                              .arg(pg.value(QStringLiteral("PG_HOST")), pg.value(QStringLiteral("PG_PORT")),
                                   pg.value(QStringLiteral("PG_USER"))),
                          QStringLiteral("--target-db"), other, QStringLiteral("--create"),
                          QStringLiteral("--secret-env"), QStringLiteral("LB_TEST_PW")},
                         {}, env);
        QCOMPARE(bad.exitCode, 6);
        QVERIFY(bad.err.contains("Target reachable"));
        QVERIFY(!bad.err.contains("wrong-password"));
        QVERIFY(!dbExists(other));
    }

    void restoreErrorsReported() {
        // Restoring over an existing copy without --clean: every CREATE fails; the errors come back, exit 1.
        const QString target = newDbName(QStringLiteral("err"));
        QCOMPARE(ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                      QStringLiteral("--target-db"), target, QStringLiteral("--create")})
                     .exitCode,
                 0);
        const TestEnv::Run r = ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"),
                                    QStringLiteral("src"), QStringLiteral("--target-db"), target,
                                    QStringLiteral("--schema-only"), QStringLiteral("--confirm"), target});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("errors ignored on restore:"));
        QVERIFY(r.err.contains("already exists"));
    }
    void cancelMidRestore() {
        // A restore cancelled while pg_restore copies data: exit 5, pg_restore gone, the database this run created
        // dropped again, and no scratch directory left behind.
        const QString big = newDbName(QStringLiteral("big"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(big));
        TestEnv::psql(big, QStringLiteral("CREATE TABLE t AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS "
                                          "v FROM generate_series(1, 1500000) g; ALTER TABLE t ADD PRIMARY KEY (id)"));
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("big"), QStringLiteral("--conninfo"),
                 TestEnv::pgConninfo(big), QStringLiteral("--storage"), QStringLiteral("local")})
                .exitCode,
            0);
        const TestEnv::Run b = ctl({QStringLiteral("backup"), QStringLiteral("big")});
        QCOMPARE(b.exitCode, 0);
        const QString id = QString::fromUtf8(b.out).trimmed();

        const QString target = newDbName(QStringLiteral("cancel"));
        QTemporaryDir scratch;
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TMPDIR"), scratch.path());
        p.setProcessEnvironment(env);
        p.start(TestEnv::lifeboatctl(),
                {QStringLiteral("--home"), m_home, QStringLiteral("restore"), id, QStringLiteral("--target"),
                 QStringLiteral("src"), QStringLiteral("--target-db"), target, QStringLiteral("--create")});
        QVERIFY(p.waitForStarted());
        const QString copying = QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = '%1' AND query "
                                               "ILIKE 'COPY%'")
                                    .arg(target);
        bool seen = false;
        for (int i = 0; i < 1200 && p.state() == QProcess::Running && !seen; ++i) {
            seen = dbExists(target) && TestEnv::psql(QStringLiteral("postgres"), copying) == QLatin1String("1");
            if (!seen)
                QTest::qWait(50);
        }
        QVERIFY2(seen, "pg_restore never reached the COPY of the big table");
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitCode(), 5);
        QVERIFY2(err.contains("cancelled"), err.constData());
        QVERIFY2(err.contains("was created by this run and has been dropped again"), err.constData());
        QVERIFY(!dbExists(target));
        QCOMPARE(
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = '%1'").arg(target)),
            QStringLiteral("0"));
        QCOMPARE(QDir(scratch.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
        // The cancelled run is not a restore that happened: the same name can be restored into at once.
        QCOMPARE(ctl({QStringLiteral("restore"), id, QStringLiteral("--target"), QStringLiteral("src"),
                      QStringLiteral("--target-db"), target, QStringLiteral("--create")})
                     .exitCode,
                 0);
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM t")), QStringLiteral("1500000"));
    }
};

QTEST_GUILESS_MAIN(TestRestoreTargets)
#include "tst_restore_targets.moc"
