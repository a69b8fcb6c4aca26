// backup.missed end to end: a nightly schedule whose runs fail for real (its server's port is closed), run-due
// calls with --as-of over several days, a webhook (tests/support/HttpSink.h) that hears the alert exactly once per
// miss; a good backup heals the source, and the next miss is told again.
#include "HttpSink.h"
#include "TestEnv.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

class TstMissedCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_db;
    QHash<QString, QString> m_pg;
    HttpSink m_sink;
    QDateTime m_t0;

    // Runs lifeboatctl while this thread's event loop keeps serving the HTTP sink.
    TestEnv::Run ctl(const QStringList &args) {
        QProcess p;
        p.setProgram(TestEnv::lifeboatctl());
        p.setArguments(QStringList{QStringLiteral("--home"), m_home} + args);
        QEventLoop loop;
        connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(120000, &loop, &QEventLoop::quit);
        p.start();
        p.closeWriteChannel();
        loop.exec();
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }
    QString conninfo(const QString &port) const {
        return QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
            .arg(m_pg.value(QStringLiteral("PG_HOST")), port, m_db);
    }
    TestEnv::Run runDue(qint64 secondsAfterStart) {
        return ctl({QStringLiteral("run-due"), QStringLiteral("--as-of"),
                    m_t0.addSecs(secondsAfterStart).toString(Qt::ISODate)});
    }
    QList<QJsonObject> missed() const {
        QList<QJsonObject> out;
        for (const HttpRequest &r : m_sink.requests) {
            const QJsonObject o = QJsonDocument::fromJson(r.body).object();
            if (o.value(QStringLiteral("event")).toString() == QLatin1String("backup.missed"))
                out << o;
        }
        return out;
    }

private slots:
    void initTestCase() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        QVERIFY2(!m_pg.isEmpty(), "the pg fixture must be running");
        QVERIFY(m_sink.listen());
        m_db = QStringLiteral("lb_missed_%1").arg(QRandomGenerator::global()->bounded(1000000));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE t AS SELECT g FROM generate_series(1, 100) g"));
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_t0 = QDateTime::currentDateTimeUtc();
        for (const QStringList &args : QList<QStringList>{
                 {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"), QStringLiteral("--local"),
                  m_tmp.filePath(QStringLiteral("store"))},
                 {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shop"),
                  QStringLiteral("--conninfo"), conninfo(QStringLiteral("1")), QStringLiteral("--storage"),
                  QStringLiteral("disk")},
                 {QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("nightly"),
                  QStringLiteral("--profile"), QStringLiteral("shop"), QStringLiteral("--cron"),
                  QStringLiteral("0 1 * * *"), QStringLiteral("--tz"), QStringLiteral("UTC")},
                 {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("ops"), QStringLiteral("--webhook"),
                  QStringLiteral("http://127.0.0.1:%1/").arg(m_sink.port())}}) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0,
                     qPrintable(args.join(QLatin1Char(' ')) + QLatin1String(": ") + QString::fromUtf8(r.err)));
        }
    }
    void cleanupTestCase() {
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_db));
    }

    void toldOncePerMiss() {
        // Day 1: the nightly run fails, but a new schedule gets one period plus a grace before it is a miss.
        auto r = runDue(26 * 3600);
        QVERIFY2(r.err.contains("FAILED"), r.err.constData());
        QCOMPARE(missed().size(), 0);
        // Day 3: still nothing good — told once, with the next step.
        r = runDue(3 * 86400);
        QVERIFY2(r.err.contains("backup.missed"), r.err.constData());
        QCOMPARE(missed().size(), 1);
        const QJsonObject alert = missed().first();
        QCOMPARE(alert.value(QStringLiteral("profile")).toString(), QStringLiteral("shop"));
        QCOMPARE(alert.value(QStringLiteral("schedule")).toString(), QStringLiteral("nightly"));
        QVERIFY(alert.value(QStringLiteral("failure")).toBool());
        QVERIFY2(alert.value(QStringLiteral("text")).toString().contains(QStringLiteral("schedule install")),
                 qPrintable(alert.value(QStringLiteral("text")).toString()));
        QVERIFY2(alert.value(QStringLiteral("text")).toString().contains(QStringLiteral("Last attempt #")),
                 qPrintable(alert.value(QStringLiteral("text")).toString()));
        // Every minute after, and the next nightly failure: the same miss, not told again.
        runDue(3 * 86400 + 60);
        runDue(4 * 86400);
        QCOMPARE(missed().size(), 1);
    }

    void goodBackupHealsAndTheNextMissIsToldAgain() {
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shop"), QStringLiteral("--conninfo"),
                 conninfo(m_pg.value(QStringLiteral("PG_PORT"))), QStringLiteral("--storage"), QStringLiteral("disk")})
                .exitCode,
            0);
        const auto b = ctl({QStringLiteral("backup"), QStringLiteral("shop")});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        // Judged from a real "now" again: the fresh backup is young, the source healed, the miss is forgotten.
        m_t0 = QDateTime::currentDateTimeUtc();
        const auto healed = ctl({QStringLiteral("run-due"), QStringLiteral("--no-prune"), QStringLiteral("--as-of"),
                                 m_t0.addSecs(60).toString(Qt::ISODate)});
        QVERIFY2(!healed.err.contains("backup.missed"), healed.err.constData());
        QCOMPARE(missed().size(), 1);
        // The server goes away again; three days later it is a new miss, told once more.
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shop"), QStringLiteral("--conninfo"),
                 conninfo(QStringLiteral("1")), QStringLiteral("--storage"), QStringLiteral("disk")})
                .exitCode,
            0);
        runDue(3 * 86400);
        QCOMPARE(missed().size(), 2);
        QVERIFY(missed().last().value(QStringLiteral("recordId")).toInteger() > 0); // the good backup it is about
        runDue(3 * 86400 + 120);
        QCOMPARE(missed().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TstMissedCli)
#include "tst_missed_cli.moc"
