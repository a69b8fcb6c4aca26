// Notifications end to end: lifeboatctl posts to a webhook served by a small HTTP sink (tests/support/HttpSink.h),
// and mails through a real SMTP server from Debian (python3-aiosmtpd). Backups against the pg fixture trigger the
// on-failure / always rules.
#include "HttpSink.h"
#include "TestEnv.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTimer>

class TstNotifyCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_db;
    QHash<QString, QString> m_pg;
    HttpSink m_sink;
    QProcess m_smtp;
    QByteArray m_smtpOut;
    int m_smtpPort = 0;

    // Runs lifeboatctl while this thread's event loop keeps serving the HTTP sink.
    TestEnv::Run ctl(const QStringList &args, const QByteArray &stdinData = {}) {
        if (args.contains(QStringLiteral("backup")))
            QTest::qWait(1100); // artifact names are unique to the second
        QProcess p;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("LIFEBOAT_SECRETS_PASSPHRASE"), QStringLiteral("notify-test-passphrase"));
        p.setProcessEnvironment(e);
        p.setProgram(TestEnv::lifeboatctl());
        p.setArguments(QStringList{QStringLiteral("--home"), m_home} + args);
        QEventLoop loop;
        connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(120000, &loop, &QEventLoop::quit);
        p.start();
        if (!stdinData.isEmpty())
            p.write(stdinData);
        p.closeWriteChannel();
        loop.exec();
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }
    // A webhook URL with a path holds its secret: it goes on stdin into the credential store, never on argv.
    int addWebhook(const QString &name, const QString &url, const QStringList &more = {}) {
        return ctl(QStringList{QStringLiteral("notify"), QStringLiteral("add"), name,
                               QStringLiteral("--webhook-stdin")} +
                       more,
                   url.toUtf8() + '\n')
            .exitCode;
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

private slots:
    void initTestCase() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        QVERIFY2(!m_pg.isEmpty(), "the pg fixture is not running");
        QVERIFY(m_sink.listen());
        m_home = m_tmp.filePath(QStringLiteral("home"));
        QCOMPARE(ctl({QStringLiteral("secrets"), QStringLiteral("use"), QStringLiteral("file")}).exitCode, 0);
        m_db = QStringLiteral("lb_notify_%1").arg(QRandomGenerator::global()->bounded(1000000));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE t AS SELECT g FROM generate_series(1, 100) g"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("store"))})
                     .exitCode,
                 0);
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("good"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
                     .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), m_db),
                 QStringLiteral("--storage"), QStringLiteral("disk")})
                .exitCode,
            0);
        // A profile whose database does not exist: its backups fail with pg_dump's error.
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("broken"),
                      QStringLiteral("--conninfo"),
                      QStringLiteral("host=%1 port=%2 user=postgres dbname=no_such_db_here")
                          .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT"))),
                      QStringLiteral("--storage"), QStringLiteral("disk")})
                     .exitCode,
                 0);
    }

    void webhookTestMessageIsSlackCompatibleJson() {
        const QString url = QStringLiteral("http://127.0.0.1:%1/services/T000/SECRETPATH").arg(m_sink.port());
        QCOMPARE(addWebhook(QStringLiteral("hook"), url, {QStringLiteral("--on"), QStringLiteral("always")}), 0);
        auto r = ctl({QStringLiteral("notify"), QStringLiteral("list")});
        // The listing never shows the secret path.
        QVERIFY(r.out.contains("hook") && !r.out.contains("SECRETPATH"));

        m_sink.requests.clear();
        r = ctl({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("hook")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_sink.requests.size(), 1);
        const HttpRequest &req = m_sink.requests.first();
        QCOMPARE(req.method, QByteArray("POST"));
        QCOMPARE(req.path, QByteArray("/services/T000/SECRETPATH"));
        QVERIFY(req.contentType.startsWith("application/json"));
        const QJsonObject body = QJsonDocument::fromJson(req.body).object();
        QVERIFY2(body.value(QStringLiteral("text")).toString().contains(QStringLiteral("Test notification")),
                 req.body.constData());
        QCOMPARE(body.value(QStringLiteral("event")).toString(), QStringLiteral("test"));
        QCOMPARE(body.value(QStringLiteral("notifier")).toString(), QStringLiteral("hook"));
    }

    void webhookHearsBackupsByRule() {
        // "always": a successful backup is announced with structured fields.
        m_sink.requests.clear();
        auto r = ctl({QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("good")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_sink.requests.size(), 1);
        QJsonObject body = QJsonDocument::fromJson(m_sink.requests.first().body).object();
        QCOMPARE(body.value(QStringLiteral("event")).toString(), QStringLiteral("backup.completed"));
        QCOMPARE(body.value(QStringLiteral("failure")).toBool(), false);
        QCOMPARE(body.value(QStringLiteral("profile")).toString(), QStringLiteral("good"));
        QCOMPARE(body.value(QStringLiteral("recordId")).toInteger(),
                 QJsonDocument::fromJson(r.out).object().value(QStringLiteral("id")).toInteger());

        // "failure" only: a success is not announced, a failure is, with its error.
        QCOMPARE(addWebhook(QStringLiteral("hook"), QStringLiteral("http://127.0.0.1:%1/hook").arg(m_sink.port()),
                            {QStringLiteral("--on"), QStringLiteral("failure")}),
                 0);
        m_sink.requests.clear();
        QCOMPARE(ctl({QStringLiteral("backup"), QStringLiteral("good")}).exitCode, 0);
        QCOMPARE(m_sink.requests.size(), 0);
        r = ctl({QStringLiteral("backup"), QStringLiteral("broken")});
        QVERIFY(r.exitCode != 0);
        QCOMPARE(m_sink.requests.size(), 1);
        body = QJsonDocument::fromJson(m_sink.requests.first().body).object();
        QCOMPARE(body.value(QStringLiteral("event")).toString(), QStringLiteral("backup.failed"));
        QCOMPARE(body.value(QStringLiteral("failure")).toBool(), true);
        QVERIFY(body.value(QStringLiteral("text")).toString().contains(QStringLiteral("FAILED")));
        QVERIFY2(body.value(QStringLiteral("error")).toString().contains(QStringLiteral("no_such_db_here")),
                 m_sink.requests.first().body.constData());
        QCOMPARE(body.value(QStringLiteral("exitCode")).toInt(), r.exitCode);
    }

    void webhookServerErrorIsReportedWithoutTheSecretPath() {
        QCOMPARE(addWebhook(QStringLiteral("hook500"),
                            QStringLiteral("http://127.0.0.1:%1/T/SECRETPATH").arg(m_sink.port())),
                 0);
        m_sink.status = 500;
        const auto r = ctl({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("hook500")});
        m_sink.status = 200;
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("HTTP 500"), r.err.constData());
        QVERIFY(!r.err.contains("SECRETPATH"));
        QCOMPARE(ctl({QStringLiteral("notify"), QStringLiteral("remove"), QStringLiteral("hook500")}).exitCode, 0);
        QCOMPARE(ctl({QStringLiteral("notify"), QStringLiteral("remove"), QStringLiteral("hook")}).exitCode, 0);
    }

    void runDueReportsAFailedScheduledBackup() {
        QCOMPARE(addWebhook(QStringLiteral("pager"), QStringLiteral("http://127.0.0.1:%1/pager").arg(m_sink.port()),
                            {QStringLiteral("--profile"), QStringLiteral("broken")}),
                 0);
        QCOMPARE(
            ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("nightly-broken"),
                 QStringLiteral("--profile"), QStringLiteral("broken"), QStringLiteral("--tz"), QStringLiteral("UTC")})
                .exitCode,
            0);
        m_sink.requests.clear();
        const QDate d = QDate::currentDate().addDays(2);
        const auto r = ctl({QStringLiteral("--json"), QStringLiteral("run-due"), QStringLiteral("--as-of"),
                            QDateTime(d, QTime(1, 5), QTimeZone::utc()).toString(Qt::ISODate)});
        QCOMPARE(r.exitCode, 1); // pg_dump could not connect: the backup's own exit code
        QCOMPARE(QJsonDocument::fromJson(r.out).array().first().toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("FAILED"));
        QCOMPARE(m_sink.requests.size(), 1);
        const QJsonObject body = QJsonDocument::fromJson(m_sink.requests.first().body).object();
        QCOMPARE(body.value(QStringLiteral("event")).toString(), QStringLiteral("backup.failed"));
        QCOMPARE(body.value(QStringLiteral("schedule")).toString(), QStringLiteral("nightly-broken"));
        QVERIFY(
            body.value(QStringLiteral("text")).toString().contains(QStringLiteral("Scheduled backup nightly-broken")));
        // A notifier limited to a profile stays quiet about the others, even when set to "always".
        QCOMPARE(addWebhook(QStringLiteral("pager"), QStringLiteral("http://127.0.0.1:%1/pager").arg(m_sink.port()),
                            {QStringLiteral("--profile"), QStringLiteral("broken"), QStringLiteral("--on"),
                             QStringLiteral("always")}),
                 0);
        m_sink.requests.clear();
        QCOMPARE(ctl({QStringLiteral("backup"), QStringLiteral("good")}).exitCode, 0);
        QCOMPARE(ctl({QStringLiteral("schedule"), QStringLiteral("remove"), QStringLiteral("nightly-broken")}).exitCode,
                 0);
        QCOMPARE(ctl({QStringLiteral("notify"), QStringLiteral("remove"), QStringLiteral("pager")}).exitCode, 0);
        QCOMPARE(m_sink.requests.size(), 0);
    }

    void smtpMailArrivesAtARealServer() {
        // aiosmtpd's debugging server prints every message it receives.
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
        const QString url = QStringLiteral("smtp://127.0.0.1:%1").arg(m_smtpPort);

        // Plain SMTP on the loopback relay: the test mail arrives with its subject and body.
        auto r = ctl({QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("mail"), QStringLiteral("--smtp"),
                      url, QStringLiteral("--tls"), QStringLiteral("none"), QStringLiteral("--from"),
                      QStringLiteral("lifeboat@example.test"), QStringLiteral("--to"),
                      QStringLiteral("ops@example.test"), QStringLiteral("--on"), QStringLiteral("failure")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("mail")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(waitForMail("If you can read it", 10000), m_smtpOut.constData());
        QVERIFY(m_smtpOut.contains("Subject: [Lifeboat] Test notification"));
        QVERIFY(m_smtpOut.contains("To: <ops@example.test>"));
        QVERIFY(m_smtpOut.contains("From: <lifeboat@example.test>"));

        // A failed backup mails the failure.
        m_smtpOut.clear();
        r = ctl({QStringLiteral("backup"), QStringLiteral("broken")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(waitForMail("no_such_db_here", 10000), m_smtpOut.constData());
        QVERIFY(m_smtpOut.contains("Subject: [Lifeboat] FAILED: Backup of broken"));

        // STARTTLS is required by default for smtp://: this server does not offer it, so nothing is sent in clear.
        QCOMPARE(ctl({QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("strict"),
                      QStringLiteral("--smtp"), url, QStringLiteral("--from"), QStringLiteral("lifeboat@example.test"),
                      QStringLiteral("--to"), QStringLiteral("ops@example.test")})
                     .exitCode,
                 0);
        m_smtpOut.clear();
        r = ctl({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("strict")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("SMTP 127.0.0.1"), r.err.constData());
        QVERIFY(!waitForMail("If you can read it", 1500));

        // Bad settings are refused when added.
        r = ctl({QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("--smtp"),
                 QStringLiteral("http://mail.example.test"), QStringLiteral("--from"), QStringLiteral("a@b"),
                 QStringLiteral("--to"), QStringLiteral("c@d")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("smtp://host:587"));
        r = ctl({QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("--smtp"), url,
                 QStringLiteral("--from"), QStringLiteral("a@b")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("--to"));
    }

    void smtpStartTlsWithAuthAndStoredPassword() {
        // Certificate for 127.0.0.1, trusted through --ca-file; the server insists on STARTTLS and AUTH.
        const QString cert = m_tmp.filePath(QStringLiteral("smtp-cert.pem"));
        const QString key = m_tmp.filePath(QStringLiteral("smtp-key.pem"));
        const auto gen = TestEnv::run(QStringLiteral("openssl"),
                                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                                       QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                                       key, QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("1"),
                                       QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                                       QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1")});
        QVERIFY2(gen.exitCode == 0, gen.err.constData());
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        QByteArray out;
        int port = 0;
        for (int attempt = 0; attempt < 5 && port == 0; ++attempt) {
            const int candidate = 20000 + QRandomGenerator::global()->bounded(30000);
            server.start(QFile::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3")
                                                                           : QStringLiteral("python3"),
                         {TestEnv::sourceDir() + QStringLiteral("/tests/support/smtp_server.py"),
                          QString::number(candidate), cert, key, QStringLiteral("relayuser"),
                          QStringLiteral("s3cret pass")});
            QVERIFY(server.waitForStarted());
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < 10000 && server.state() == QProcess::Running && !out.contains("READY")) {
                server.waitForReadyRead(100);
                out += server.readAll();
            }
            if (out.contains("READY"))
                port = candidate;
            else
                server.waitForFinished(2000);
        }
        QVERIFY2(port > 0, out.constData());
        out.clear();
        auto wait = [&](const QByteArray &needle, int ms) {
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < ms && !out.contains(needle)) {
                server.waitForReadyRead(100);
                out += server.readAll();
            }
            return out.contains(needle);
        };
        // The password goes to the credential store (an age-encrypted file here), never the catalog.
        QCOMPARE(ctl({QStringLiteral("secrets"), QStringLiteral("use"), QStringLiteral("file")}).exitCode, 0);
        const QString url = QStringLiteral("smtp://127.0.0.1:%1").arg(port);
        QProcess add;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("LIFEBOAT_SECRETS_PASSPHRASE"), QStringLiteral("notify-test-passphrase"));
        add.setProcessEnvironment(e);
        add.start(TestEnv::lifeboatctl(),
                  {QStringLiteral("--home"), m_home, QStringLiteral("notify"), QStringLiteral("add"),
                   QStringLiteral("relay"), QStringLiteral("--smtp"), url, QStringLiteral("--from"),
                   QStringLiteral("lifeboat@example.test"), QStringLiteral("--to"), QStringLiteral("ops@example.test"),
                   QStringLiteral("--user"), QStringLiteral("relayuser"), QStringLiteral("--password-stdin"),
                   QStringLiteral("--ca-file"), cert});
        add.write("s3cret pass\n");
        add.closeWriteChannel();
        QVERIFY(add.waitForFinished(30000));
        const QByteArray addErr = add.readAllStandardError();
        QVERIFY2(add.exitCode() == 0 && !addErr.contains("NOT stored"), addErr.constData());
        for (const QString &f : {QStringLiteral("/catalog.sqlite"), QStringLiteral("/catalog.sqlite-wal"),
                                 QStringLiteral("/config.json")}) {
            QFile file(m_home + f);
            if (file.open(QIODevice::ReadOnly))
                QVERIFY2(!file.readAll().contains("s3cret pass"), qPrintable(f));
        }
        auto r = ctl({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("relay")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(wait("END-OF-MESSAGE", 10000), out.constData());
        QVERIFY2(out.contains(" relayuser accepted") && out.contains("AUTHENTICATED True"), out.constData());
        QVERIFY(out.contains("Subject: [Lifeboat] Test notification"));

        // Without the CA the relay's certificate is refused: nothing is sent.
        QCOMPARE(ctl({QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("noca"), QStringLiteral("--smtp"),
                      url, QStringLiteral("--from"), QStringLiteral("lifeboat@example.test"), QStringLiteral("--to"),
                      QStringLiteral("ops@example.test")})
                     .exitCode,
                 0);
        out.clear();
        r = ctl({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("noca")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!wait("END-OF-MESSAGE", 1000));
        server.kill();
        server.waitForFinished();
    }

    void cleanupTestCase() {
        if (m_smtp.state() != QProcess::NotRunning) {
            m_smtp.kill();
            m_smtp.waitForFinished();
        }
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_db));
    }
};

QTEST_GUILESS_MAIN(TstNotifyCli)
#include "tst_notify_cli.moc"
