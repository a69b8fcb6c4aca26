// Recovery drills end to end (issue 18, part 1): a schedule of kind verify, run by run-due --as-of, verifies the
// newest good backup of its profile on the pg fixture. A passing drill records PASSED on the backup, keeps its report
// under HOME/reports and tells verify.passed to a webhook set to --on always (tests/support/HttpSink.h) but not to a
// mail relay set to --on failure; a drill of a backup whose artifact was damaged on disk records FAILED and tells
// verify.failed to both (a real SMTP server, python3-aiosmtpd). Neither is mistaken for a missed backup.
#include "HttpSink.h"
#include "TestEnv.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

class TstDrillCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_db;
    QHash<QString, QString> m_pg;
    HttpSink m_sink;
    QProcess m_smtp;
    QByteArray m_smtpOut;
    int m_smtpPort = 0;
    QDateTime m_t0;

    // Runs lifeboatctl while this thread's event loop keeps serving the HTTP sink.
    TestEnv::Run ctl(const QStringList &args) {
        QProcess p;
        p.setProgram(TestEnv::lifeboatctl());
        p.setArguments(QStringList{QStringLiteral("--home"), m_home} + args);
        QEventLoop loop;
        connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(240000, &loop, &QEventLoop::quit);
        p.start();
        p.closeWriteChannel();
        loop.exec();
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }
    QList<QJsonObject> events(const QString &event) const {
        QList<QJsonObject> out;
        for (const HttpRequest &r : m_sink.requests) {
            const QJsonObject o = QJsonDocument::fromJson(r.body).object();
            if (o.value(QStringLiteral("event")).toString() == event)
                out << o;
        }
        return out;
    }
    bool waitForMail(const QByteArray &needle, int ms) {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < ms) {
            m_smtp.waitForReadyRead(100);
            m_smtpOut += m_smtp.readAllStandardOutput();
            if (m_smtpOut.contains(needle))
                return true;
        }
        return false;
    }
    qint64 backup() {
        const auto r = ctl({QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("shop")});
        if (r.exitCode != 0)
            qWarning("%s", r.err.constData());
        const auto list = ctl(
            {QStringLiteral("--json"), QStringLiteral("list"), QStringLiteral("--profile"), QStringLiteral("shop")});
        return QJsonDocument::fromJson(list.out).array().first().toObject().value(QStringLiteral("id")).toInteger();
    }
    QJsonObject show(qint64 id) {
        return QJsonDocument::fromJson(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(id)}).out)
            .object();
    }
    TestEnv::Run runDue(qint64 secondsAfterStart) {
        return ctl({QStringLiteral("run-due"), QStringLiteral("--as-of"),
                    m_t0.addSecs(secondsAfterStart).toString(Qt::ISODate)});
    }
    void startSmtp() {
        for (int attempt = 0; attempt < 5 && m_smtpPort == 0; ++attempt) {
            const int port = 20000 + QRandomGenerator::global()->bounded(30000);
            // Debian's interpreter, where python3-aiosmtpd is installed (not whatever python3 is first on PATH).
            m_smtp.setProgram(QFile::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3")
                                                                                : QStringLiteral("python3"));
            m_smtp.setArguments({QStringLiteral("-u"), QStringLiteral("-m"), QStringLiteral("aiosmtpd"),
                                 QStringLiteral("-n"), QStringLiteral("-l"), QStringLiteral("127.0.0.1:%1").arg(port)});
            m_smtp.setProcessChannelMode(QProcess::MergedChannels);
            m_smtp.start();
            QVERIFY2(m_smtp.waitForStarted(), "python3 -m aiosmtpd could not start (install python3-aiosmtpd)");
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < 5000 && m_smtp.state() == QProcess::Running) {
                QTcpSocket probe;
                probe.connectToHost(QHostAddress::LocalHost, quint16(port));
                if (probe.waitForConnected(200)) {
                    m_smtpPort = port;
                    break;
                }
                QTest::qWait(100);
            }
            if (m_smtpPort == 0) {
                m_smtp.kill();
                m_smtp.waitForFinished();
            }
        }
        QVERIFY2(m_smtpPort > 0, "aiosmtpd did not start listening");
    }

private slots:
    void initTestCase() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        QVERIFY2(!m_pg.isEmpty(), "the pg fixture must be running");
        QVERIFY(m_sink.listen());
        startSmtp();
        m_db = QStringLiteral("lb_drill_%1").arg(QRandomGenerator::global()->bounded(1000000));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE customers (id int PRIMARY KEY, name text);"
                                           "INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 200) g;"
                                           "CREATE TABLE orders (id int PRIMARY KEY, customer int REFERENCES "
                                           "customers(id));"
                                           "INSERT INTO orders SELECT g, 1 + g % 200 FROM generate_series(1, 500) g"));
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_t0 = QDateTime::currentDateTimeUtc();
        for (const QStringList &args : QList<QStringList>{
                 {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"), QStringLiteral("--local"),
                  m_tmp.filePath(QStringLiteral("store"))},
                 {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shop"),
                  QStringLiteral("--conninfo"), TestEnv::pgConninfo(m_db), QStringLiteral("--storage"),
                  QStringLiteral("disk")},
                 {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("ops"), QStringLiteral("--webhook"),
                  QStringLiteral("http://127.0.0.1:%1/").arg(m_sink.port()), QStringLiteral("--on"),
                  QStringLiteral("always")},
                 {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("mail"), QStringLiteral("--smtp"),
                  QStringLiteral("smtp://127.0.0.1:%1").arg(m_smtpPort), QStringLiteral("--tls"),
                  QStringLiteral("none"), QStringLiteral("--from"), QStringLiteral("lifeboat@example.test"),
                  QStringLiteral("--to"), QStringLiteral("ops@example.test"), QStringLiteral("--on"),
                  QStringLiteral("failure")}}) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0,
                     qPrintable(args.join(QLatin1Char(' ')) + QLatin1String(": ") + QString::fromUtf8(r.err)));
        }
    }
    void cleanupTestCase() {
        if (m_smtp.state() != QProcess::NotRunning) {
            m_smtp.kill();
            m_smtp.waitForFinished();
        }
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_db));
    }

    void drillOptionsAreChecked() {
        auto r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("bad"),
                      QStringLiteral("--verify"), QStringLiteral("--files"), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("--profile P"), r.err.constData());
        r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("bad"), QStringLiteral("--verify"),
                 QStringLiteral("--profile"), QStringLiteral("shop"), QStringLiteral("--target"),
                 QStringLiteral("nosuch")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("unknown profile \"nosuch\""), r.err.constData());
        r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("bad"), QStringLiteral("--profile"),
                 QStringLiteral("shop"), QStringLiteral("--sandbox")});
        QCOMPARE(r.exitCode, 3);
        // Nothing was stored by the refusals.
        QVERIFY(!ctl({QStringLiteral("schedule"), QStringLiteral("list")}).out.contains("bad"));
    }

    void passingDrill() {
        const qint64 id = backup();
        QVERIFY(id > 0);
        auto r = ctl({QStringLiteral("--json"), QStringLiteral("schedule"), QStringLiteral("add"),
                      QStringLiteral("drill"), QStringLiteral("--verify"), QStringLiteral("--profile"),
                      QStringLiteral("shop"), QStringLiteral("--tz"), QStringLiteral("UTC")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject added = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(added.value(QStringLiteral("kind")).toString(), QStringLiteral("verify"));
        QCOMPARE(added.value(QStringLiteral("cron")).toString(), QStringLiteral("0 3 * * 0")); // weekly by default
        QCOMPARE(added.value(QStringLiteral("verifyTarget")).toString(), QStringLiteral("shop"));

        // A week on: the drill runs once and passes.
        r = runDue(8 * 86400);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("drill"), r.err.constData());
        const QJsonObject rec = show(id);
        QVERIFY2(rec.value(QStringLiteral("verifyOutcome")).toString() == QLatin1String("PASSED"), r.err.constData());
        const QList<QJsonObject> passed = events(QStringLiteral("verify.passed"));
        QCOMPARE(passed.size(), 1);
        QCOMPARE(passed.first().value(QStringLiteral("recordId")).toInteger(), id);
        QCOMPARE(passed.first().value(QStringLiteral("profile")).toString(), QStringLiteral("shop"));
        QVERIFY(!passed.first().value(QStringLiteral("failure")).toBool());
        // The report is kept under the home, as JSON and HTML, and named in the message.
        const QString report = passed.first().value(QStringLiteral("report")).toString();
        QVERIFY2(report.startsWith(QDir(m_home).filePath(QStringLiteral("reports/drill-drill-backup%1-").arg(id))),
                 qPrintable(report));
        QVERIFY(report.endsWith(QLatin1String(".html")));
        QVERIFY(QFile::exists(report));
        QFile json(report.chopped(5) + QStringLiteral(".json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonArray checks =
            QJsonDocument::fromJson(json.readAll()).object().value(QStringLiteral("checks")).toArray();
        QVERIFY(checks.size() >= 4);
        for (const QJsonValue &c : checks)
            QVERIFY(c.toObject().value(QStringLiteral("outcome")).toString() != QLatin1String("failed"));
        // A drill is no missed backup, and a passing one does not go to a channel that wants failures only.
        QCOMPARE(events(QStringLiteral("backup.missed")).size(), 0);
        QVERIFY2(!waitForMail("Drill", 1500), m_smtpOut.constData());
        // Not due again within the week.
        const int before = int(m_sink.requests.size());
        r = runDue(8 * 86400 + 60);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(int(m_sink.requests.size()), before);
    }

    void damagedArtifactFailsAndIsTold() {
        const qint64 id = backup();
        QVERIFY(id > 0);
        const QJsonArray locations = show(id).value(QStringLiteral("locations")).toArray();
        QCOMPARE(locations.size(), 1);
        const QString path = locations.first().toObject().value(QStringLiteral("path")).toString();
        QFile f(path);
        QVERIFY2(f.open(QIODevice::ReadWrite), qPrintable(path));
        QVERIFY(f.size() > 64);
        f.seek(f.size() / 2);
        f.write(QByteArray(16, '\xAA'));
        f.close();

        const auto r = runDue(15 * 86400);
        QCOMPARE(r.exitCode, 4); // integrity
        QCOMPARE(show(id).value(QStringLiteral("verifyOutcome")).toString(), QStringLiteral("FAILED"));
        const QList<QJsonObject> failed = events(QStringLiteral("verify.failed"));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().value(QStringLiteral("recordId")).toInteger(), id);
        QVERIFY(failed.first().value(QStringLiteral("failure")).toBool());
        const QString text = failed.first().value(QStringLiteral("text")).toString();
        QVERIFY2(text.contains(QStringLiteral("lifeboatctl backup shop")), qPrintable(text)); // the next step
        QVERIFY2(waitForMail("Drill FAILED", 10000), m_smtpOut.constData());
        QVERIFY2(m_smtpOut.contains("Subject: [Lifeboat] Drill FAILED: backup #" + QByteArray::number(id)),
                 m_smtpOut.constData());
        // check shows the failed drill for the profile.
        const auto c = ctl({QStringLiteral("check"), QStringLiteral("--profile"), QStringLiteral("shop")});
        QVERIFY2(c.out.contains("FAILED"), c.out.constData());
        QCOMPARE(events(QStringLiteral("backup.missed")).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TstDrillCli)
#include "tst_drill_cli.moc"
