#include "pipeline/MemorySink.h"
#include "storage/S3Call.h"
#include "storage/S3Client.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>

using namespace lifeboat;

namespace {

// Faults s3rver cannot produce on demand (503 SlowDown, 429, a server that never answers, a body cut off
// mid-stream) come from this scripted HTTP server. Everything else is tested against the real fixture.
class ScriptedServer : public QObject {
public:
    struct Request {
        QByteArray method, target;
        QMap<QByteArray, QByteArray> headers; // lower-case names
    };
    using Action = std::function<void(QTcpSocket *)>;

    ScriptedServer() {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    int port() const { return m_server.serverPort(); }
    void script(QList<Action> actions) { m_actions = std::move(actions); }
    // Chooses the answer from the request instead of the queue (QNAM may silently re-send a request once).
    void respond(std::function<Action(const Request &)> responder) { m_responder = std::move(responder); }
    const QList<Request> &requests() const { return m_requests; }

    static Action reply(int status, const QByteArray &reason, const QByteArray &body = {},
                        const QByteArray &extra = {}) {
        return [=](QTcpSocket *s) {
            s->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                     "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n" + extra + "\r\n" + body);
        };
    }
    static Action s3Error(int status, const QByteArray &reason, const QByteArray &code) {
        return reply(status, reason,
                     "<?xml version=\"1.0\"?><Error><Code>" + code + "</Code><Message>scripted</Message></Error>",
                     "Content-Type: application/xml\r\n");
    }
    static Action silence() {
        return [](QTcpSocket *) {};
    }
    static Action reset() {
        return [](QTcpSocket *s) { s->abort(); };
    }

private:
    void onData(QTcpSocket *s) {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        for (;;) {
            const qsizetype end = buf.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            Request r;
            const QList<QByteArray> lines = buf.left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            r.method = first.value(0);
            r.target = first.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    r.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
            }
            const qint64 length = r.headers.value("content-length").toLongLong();
            if (buf.size() < end + 4 + length)
                return;
            buf.remove(0, end + 4 + length);
            m_requests.append(r);
            const Action a = m_responder           ? m_responder(r)
                             : m_actions.isEmpty() ? reply(200, "OK")
                                                   : m_actions.takeFirst();
            a(s);
            if (s->state() != QAbstractSocket::ConnectedState)
                return;
        }
    }

    QTcpServer m_server;
    QList<Action> m_actions;
    std::function<Action(const Request &)> m_responder;
    QList<Request> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

S3Config configFor(int port) {
    S3Config c;
    c.endpoint = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    c.bucket = QStringLiteral("bk");
    c.pathStyle = true;
    c.accessKeyId = QStringLiteral("AKID");
    c.secretAccessKey = QStringLiteral("the-secret");
    c.retries = 3;
    c.retryBaseDelayMs = 20;
    c.timeoutMs = 5000;
    return c;
}

bool waitFor(S3Call *call) {
    if (call->isFinished())
        return true;
    QSignalSpy done(call, &S3Call::finished);
    return done.wait(30000);
}

} // namespace

class TstS3Faults : public QObject {
    Q_OBJECT
private slots:
    void slowDownAnd5xxAreRetried() {
        ScriptedServer server;
        server.script({ScriptedServer::s3Error(503, "Slow Down", "SlowDown"),
                       ScriptedServer::s3Error(500, "Internal Server Error", "InternalError"),
                       ScriptedServer::reply(429, "Too Many Requests"),
                       ScriptedServer::reply(200, "OK", {}, "ETag: \"e\"\r\n")});
        S3Client client(configFor(server.port()));
        QStringList logs;
        connect(&client, &S3Client::logLine, this, [&](const QString &l) { logs << l; });
        std::unique_ptr<S3Call> call(client.putObject(QStringLiteral("k"), "data"));
        QVERIFY(waitFor(call.get()));
        QVERIFY2(!call->error(), qPrintable(call->error().message));
        QCOMPARE(call->attempts(), 4);
        QCOMPARE(server.requests().size(), 4);
        QCOMPARE(logs.size(), 3);
        QVERIFY(logs[0].contains(QStringLiteral("SlowDown")));
        QVERIFY(logs[2].contains(QStringLiteral("HTTP 429")));
        // Every attempt is signed afresh and carries the real payload hash.
        for (const auto &r : server.requests()) {
            QVERIFY(r.headers.value("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKID/"));
            QCOMPARE(r.headers.value("x-amz-content-sha256"),
                     QByteArray("3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7"));
        }
        for (const QString &l : logs)
            QVERIFY(!l.contains(QStringLiteral("the-secret")));
    }

    void persistentFailureEndsCleanly() {
        ScriptedServer server;
        QList<ScriptedServer::Action> always;
        for (int i = 0; i < 10; ++i)
            always << ScriptedServer::s3Error(503, "Service Unavailable", "ServiceUnavailable");
        server.script(always);
        S3Client client(configFor(server.port()));
        std::unique_ptr<S3Call> call(client.headObject(QStringLiteral("k")));
        QVERIFY(waitFor(call.get()));
        QCOMPARE(call->error().code, ExitCode::Transfer);
        QCOMPARE(call->attempts(), 4); // 1 + retries
        QVERIFY2(call->error().message.contains(QStringLiteral("failed after 4 attempt(s)")),
                 qPrintable(call->error().message));
    }

    void clientErrorsAreNotRetried() {
        ScriptedServer server;
        server.script({ScriptedServer::s3Error(403, "Forbidden", "SignatureDoesNotMatch")});
        S3Client client(configFor(server.port()));
        std::unique_ptr<S3Call> call(client.putObject(QStringLiteral("k"), "x"));
        QVERIFY(waitFor(call.get()));
        QCOMPARE(call->attempts(), 1);
        QCOMPARE(call->s3ErrorCode(), QStringLiteral("SignatureDoesNotMatch"));
        QVERIFY(call->error().message.contains(
            QStringLiteral("signature does not match — check the access key and secret")));
    }

    void timeoutsAndResetsAreRetried() {
        ScriptedServer server;
        // (QNAM itself re-sends once when a reused connection is reset, so the script has spare entries.)
        server.script({ScriptedServer::silence(), ScriptedServer::reset(), ScriptedServer::silence(),
                       ScriptedServer::silence(), ScriptedServer::silence(), ScriptedServer::silence()});
        S3Config c = configFor(server.port());
        c.timeoutMs = 400;
        S3Client client(c);
        QElapsedTimer clock;
        clock.start();
        std::unique_ptr<S3Call> call(client.deleteObject(QStringLiteral("k")));
        QVERIFY(waitFor(call.get()));
        QCOMPARE(call->error().code, ExitCode::Transfer);
        QCOMPARE(call->attempts(), 4);
        QVERIFY2(call->error().message.contains(QStringLiteral("timeout")), qPrintable(call->error().message));
        QVERIFY(clock.elapsed() >= 3 * 400);
    }

    void interruptedDownloadResumesWithRange() {
        const QByteArray object = QByteArray(60, 'a') + QByteArray(40, 'b');
        ScriptedServer server;
        server.respond([&](const ScriptedServer::Request &r) -> ScriptedServer::Action {
            if (r.headers.value("range") == "bytes=60-")
                return ScriptedServer::reply(206, "Partial Content", object.mid(60),
                                             "Content-Range: bytes 60-99/100\r\n");
            return [&](QTcpSocket *s) {
                // Announce 100 bytes, send 60, then drop the connection.
                s->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + object.left(60));
                s->flush();
                QTimer::singleShot(100, s, [s] { s->abort(); });
            };
        });
        S3Client client(configFor(server.port()));
        MemorySink sink;
        std::unique_ptr<S3Call> call(client.getObject(QStringLiteral("k"), &sink));
        QVERIFY(waitFor(call.get()));
        QVERIFY2(!call->error(), qPrintable(call->error().message));
        QCOMPARE(sink.data(), object);
        QVERIFY(!server.requests().first().headers.contains("range"));
        QCOMPARE(server.requests().last().headers.value("range"), QByteArray("bytes=60-"));
    }

    void rangeIgnoredOnResumeFails() {
        ScriptedServer server;
        server.script({ScriptedServer::reply(200, "OK", "whole object")});
        S3Client client(configFor(server.port()));
        MemorySink sink;
        std::unique_ptr<S3Call> call(client.getObject(QStringLiteral("k"), &sink, 5));
        QVERIFY(waitFor(call.get()));
        QCOMPARE(call->error().code, ExitCode::Transfer);
        QVERIFY(call->error().message.contains(QStringLiteral("ignored the Range")));
        QVERIFY(sink.data().isEmpty()); // nothing of the wrong bytes reached the sink
    }

    void cancelStopsRetries() {
        ScriptedServer server;
        server.script({ScriptedServer::silence()});
        S3Client client(configFor(server.port()));
        std::unique_ptr<S3Call> call(client.headObject(QStringLiteral("k")));
        QTimer::singleShot(200, call.get(), [&] { call->cancel(); });
        QVERIFY(waitFor(call.get()));
        QCOMPARE(call->error().code, ExitCode::Cancelled);
        QCOMPARE(call->attempts(), 1);
    }
};

QTEST_GUILESS_MAIN(TstS3Faults)
#include "tst_s3faults.moc"
