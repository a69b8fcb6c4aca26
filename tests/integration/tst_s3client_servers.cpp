// The S3 client against servers that misbehave, on the S3 fixture and private s3rver instances: a wrong secret
// reported clearly and never logged, a server stopped mid-upload (retries, then a failure that leaves no object),
// and HTTPS with a self-signed certificate trusted only through the configured CA file. The rest is tst_s3client.
#include "S3TestSupport.h"

#include "pipeline/MemorySink.h"
#include "storage/S3UploadSink.h"

#include <QTemporaryDir>
#include <QTest>

#include <mutex>

using namespace lifeboat;
using namespace s3test;

class TstS3ClientServers : public QObject {
    Q_OBJECT

    QString m_run; // per-run key prefix

private slots:
    void initTestCase() {
        QVERIFY2(!fixtureConfig().endpoint.isEmpty(), "the s3 fixture is not running (run through ctest)");
        m_run = QStringLiteral("t%1/").arg(QDateTime::currentMSecsSinceEpoch());
    }

    void wrongSecretIsReportedClearly() {
        S3Config bad = fixtureConfig();
        bad.secretAccessKey = QStringLiteral("definitely-wrong-secret");
        S3Session session(bad);
        QStringList logs;
        std::mutex mutex;
        session.setLogHandler([&](const QString &line) {
            std::lock_guard lock(mutex);
            logs << line;
        });
        const Error e = session.putObject(m_run + QStringLiteral("nope.txt"), "x");
        QCOMPARE(e.code, ExitCode::Transfer);
        QVERIFY2(e.message.contains(QStringLiteral("signature does not match — check the access key and secret")),
                 qPrintable(e.message));
        QVERIFY(!e.message.contains(QStringLiteral("definitely-wrong-secret")));
        S3ListResult r;
        const Error e2 = session.listObjects({}, {}, {}, 0, &r);
        QVERIFY2(e2.message.contains(QStringLiteral("signature does not match")), qPrintable(e2.message));
        std::lock_guard lock(mutex);
        for (const QString &line : logs)
            QVERIFY(!line.contains(QStringLiteral("definitely-wrong-secret")));
        QVERIFY(!logs.isEmpty());
    }

    void serverStoppedMidUploadRetriesThenFails() {
        QTemporaryDir data;
        PrivateServer server;
        QVERIFY(server.start(data.path()));
        S3Config c = fixtureConfig();
        c.endpoint = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.port()));
        c.bucket = QStringLiteral("private-bucket");
        c.retries = 2;
        c.retryBaseDelayMs = 100;
        c.timeoutMs = 5000;
        S3Session session(c);
        QStringList logs;
        std::mutex mutex;
        session.setLogHandler([&](const QString &line) {
            std::lock_guard lock(mutex);
            logs << line;
        });
        const QString key = QStringLiteral("interrupted.dump");
        S3UploadSink::Options opt;
        opt.partSize = 5 * MiB;
        opt.maxInFlight = 2;
        DataGenerator gen;
        bool ok = true;
        Error failure;
        {
            S3UploadSink sink(&session, key, opt);
            for (int i = 0; i < 15 && ok; ++i) {
                QVERIFY(sink.write(gen.chunk(i, MiB)) || i >= 10);
            }
            QVERIFY(sink.bytesUploaded() > 0); // parts went up before the stop
            server.kill();                     // the server dies mid-upload
            for (int i = 15; i < 40 && ok; ++i)
                ok = sink.write(gen.chunk(i, MiB));
            if (ok)
                ok = sink.finish();
            failure = sink.error();
        }
        QVERIFY(!ok);
        QCOMPARE(failure.code, ExitCode::Transfer);
        QVERIFY2(failure.message.contains(QStringLiteral("after 3 attempt(s)")), qPrintable(failure.message));
        {
            std::lock_guard lock(mutex);
            QVERIFY2(logs.filter(QStringLiteral("retry 2/2")).size() > 0, qPrintable(logs.join(QLatin1Char('\n'))));
        }

        // Bring the same server back: no object was completed under the key.
        PrivateServer again;
        QVERIFY(again.start(data.path(), server.port()));
        S3Session check(c);
        int status = 0;
        S3ObjectInfo info;
        QVERIFY(check.headObject(key, &info, &status));
        QCOMPARE(status, 404);
    }

    void httpsWithCustomCaFile() {
        // A self-signed certificate for 127.0.0.1: trusted only through S3Config::caFile.
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem")), key = dir.filePath(QStringLiteral("key.pem"));
        const auto gen = TestEnv::run(QStringLiteral("openssl"),
                                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                                       QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                                       key, QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("1"),
                                       QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                                       QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1")});
        QVERIFY2(gen.exitCode == 0, gen.err.constData());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("S3RVER_CERT"), cert);
        env.insert(QStringLiteral("S3RVER_KEY"), key);
        PrivateServer server;
        QVERIFY(server.start(dir.filePath(QStringLiteral("data")), 0, env));

        S3Config c = fixtureConfig();
        c.endpoint = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server.port()));
        c.bucket = QStringLiteral("private-bucket");
        c.retries = 1;
        c.retryBaseDelayMs = 50;
        {
            S3Session untrusted(c); // system CAs only: the certificate is refused, and not retried
            const Error e = untrusted.putObject(QStringLiteral("tls.txt"), "x");
            QCOMPARE(e.code, ExitCode::Transfer);
            QVERIFY2(e.message.contains(QStringLiteral("SSL"), Qt::CaseInsensitive) ||
                         e.message.contains(QStringLiteral("certificate"), Qt::CaseInsensitive),
                     qPrintable(e.message));
            QVERIFY(!e.message.contains(QStringLiteral("attempt(s)")));
        }
        c.caFile = cert;
        S3Session trusted(c);
        Error e = trusted.putObject(QStringLiteral("tls.txt"), "over tls");
        QVERIFY2(!e, qPrintable(e.message));
        MemorySink back;
        e = trusted.getObject(QStringLiteral("tls.txt"), &back);
        QVERIFY2(!e, qPrintable(e.message));
        QCOMPARE(back.data(), QByteArray("over tls"));
    }
};

QTEST_GUILESS_MAIN(TstS3ClientServers)
#include "tst_s3client_servers.moc"
