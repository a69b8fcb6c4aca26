// Issue #20, item 3, the CLI half: a backup to a storage that cannot be opened (S3 without credentials) was refused
// before it started and left no record, so `list`, the dashboard and alerts never saw the attempt. Now every
// started attempt — `backup`, `files backup`, and a scheduled run through `run-due` — is recorded FAILED with the
// reason, and nothing is written anywhere.
#include "TestEnv.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

class TstUnopenableCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QProcessEnvironment m_env;

    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args, {}, m_env); }

    QList<QJsonObject> failedRecords(const QString &source) {
        const auto r = ctl(
            {QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--status"), QStringLiteral("FAILED")});
        QList<QJsonObject> out;
        for (const QJsonValue &v : QJsonDocument::fromJson(r.out).array()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("profile")).toString() == source &&
                o.value(QStringLiteral("status")).toString() == QLatin1String("FAILED"))
                out << o;
        }
        return out;
    }

private slots:
    void initTestCase() {
        QVERIFY2(!TestEnv::fixture(QStringLiteral("pg")).isEmpty(), "the pg fixture must be running");
        m_home = m_tmp.filePath(QStringLiteral("home"));
        // No credentials anywhere: neither the environment nor ~/.aws.
        m_env = QProcessEnvironment::systemEnvironment();
        for (const QString &k : m_env.keys())
            if (k.startsWith(QLatin1String("AWS_")))
                m_env.remove(k);
        m_env.insert(QStringLiteral("HOME"), m_tmp.filePath(QStringLiteral("userhome")));
        QDir().mkpath(m_tmp.filePath(QStringLiteral("userhome")));
        const QString db = QStringLiteral("lb_unopen_%1").arg(QRandomGenerator::global()->bounded(1000000));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(db));
        QDir().mkpath(m_tmp.filePath(QStringLiteral("tree")));
        for (const QStringList &args : QList<QStringList>{
                 {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("offsite"), QStringLiteral("--s3"),
                  QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:9"), QStringLiteral("--bucket"),
                  QStringLiteral("nowhere"), QStringLiteral("--path-style")},
                 {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shop"),
                  QStringLiteral("--conninfo"), TestEnv::pgConninfo(db), QStringLiteral("--storage"),
                  QStringLiteral("offsite")},
                 {QStringLiteral("files"), QStringLiteral("add"), QStringLiteral("etc"), QStringLiteral("--path"),
                  m_tmp.filePath(QStringLiteral("tree")), QStringLiteral("--storage"), QStringLiteral("offsite")},
                 {QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("nightly"),
                  QStringLiteral("--profile"), QStringLiteral("shop"), QStringLiteral("--cron"),
                  QStringLiteral("0 1 * * *"), QStringLiteral("--tz"), QStringLiteral("UTC")}}) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
    }

    void backupRecordsTheFailedAttempt() {
        const auto r = ctl({QStringLiteral("backup"), QStringLiteral("shop")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("has no credentials"), r.err.constData());
        const auto failed = failedRecords(QStringLiteral("shop"));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().value(QStringLiteral("error")).toString().contains(QStringLiteral("no credentials")),
                 QJsonDocument(failed.first()).toJson().constData());
    }

    void filesBackupRecordsTheFailedAttempt() {
        const auto r = ctl({QStringLiteral("files"), QStringLiteral("backup"), QStringLiteral("etc")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("has no credentials"), r.err.constData());
        QCOMPARE(failedRecords(QStringLiteral("etc")).size(), 1);
    }

    void scheduledRunRecordsTheFailedAttempt() {
        const QDateTime asOf = QDateTime::currentDateTimeUtc().addDays(1);
        const auto r = ctl({QStringLiteral("run-due"), QStringLiteral("--as-of"), asOf.toString(Qt::ISODate)});
        QVERIFY2(r.err.contains("no credentials") || r.out.contains("no credentials"), (r.out + r.err).constData());
        // The scheduled attempt's own record (run-due's retention may already have removed the manual attempt of
        // backupRecordsTheFailedAttempt: a failed backup more than 24 hours before --as-of holds nothing to keep,
        // and whether it is is a matter of which second each ran in).
        QList<QJsonObject> scheduled;
        for (const QJsonObject &o : failedRecords(QStringLiteral("shop")))
            if (o.value(QStringLiteral("label")).toString() == QLatin1String("schedule nightly"))
                scheduled << o;
        QCOMPARE(scheduled.size(), 1);
        QVERIFY2(scheduled.first().value(QStringLiteral("error")).toString().contains(QStringLiteral("no credentials")),
                 QJsonDocument(scheduled.first()).toJson().constData());
    }
};

QTEST_GUILESS_MAIN(TstUnopenableCli)
#include "tst_unopenable_cli.moc"
