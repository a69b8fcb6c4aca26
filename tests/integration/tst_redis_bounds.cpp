// A hostile or broken Redis server announces absurd lengths: lifeboatctl answers with a clear error (exit 2)
// instead of aborting with bad_alloc (issue 13). A real redis-server never sends such a reply, so this is the one
// place a fake server is used: a tiny TCP listener on its own thread that answers every request with one canned
// reply.
#include "TestEnv.h"

#include "redis/RedisConnection.h"
#include "redis/RedisUrl.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

using namespace lifeboat;

namespace {
class FakeRedis {
public:
    explicit FakeRedis(QByteArray reply)
        : m_reply(std::move(reply)) {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (::bind(m_listen, reinterpret_cast<sockaddr *>(&a), len) != 0 || ::listen(m_listen, 8) != 0 ||
            ::getsockname(m_listen, reinterpret_cast<sockaddr *>(&a), &len) != 0)
            return;
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~FakeRedis() {
        m_stop = true;
        ::shutdown(m_listen, SHUT_RDWR);
        if (m_thread.joinable())
            m_thread.join();
        ::close(m_listen);
    }
    int port() const { return m_port; }
    int requests() const { return m_requests; }

private:
    void serve() {
        while (!m_stop) {
            const int c = ::accept(m_listen, nullptr, nullptr);
            if (c < 0)
                return;
            char buf[4096];
            // Every request that arrives gets the canned reply; the connection lives until the client closes it.
            for (ssize_t n; (n = ::read(c, buf, sizeof buf)) > 0;) {
                ++m_requests;
                if (::write(c, m_reply.constData(), size_t(m_reply.size())) < 0)
                    break;
            }
            ::close(c);
        }
    }

    QByteArray m_reply;
    int m_listen = -1;
    int m_port = 0;
    std::atomic_bool m_stop{false};
    std::atomic_int m_requests{0};
    std::thread m_thread;
};

RedisUrl urlFor(int port) {
    QString why;
    return RedisUrl::parse(QStringLiteral("redis://127.0.0.1:%1").arg(port), &why);
}
} // namespace

class TstRedisBounds : public QObject {
    Q_OBJECT
private slots:
    void hugeBulkLengthIsAClearError() {
        FakeRedis fake("$4398046511104\r\n"); // 4 TiB announced, nothing sent
        QVERIFY(fake.port() > 0);
        RedisConnection c;
        c.setTimeoutMs(3000);
        Error e;
        QElapsedTimer t;
        t.start();
        QVERIFY(!c.open(urlFor(fake.port()), &e));
        QCOMPARE(e.code, ExitCode::Transfer);
        QVERIFY2(e.message.contains(QLatin1String("invalid bulk reply length")), qPrintable(e.message));
        QVERIFY2(e.message.contains(QLatin1String("536870912")), qPrintable(e.message)); // says the limit
        QVERIFY2(t.elapsed() < 2500, "the bound is checked before waiting for the bytes");
    }

    void hugeArrayCountIsAClearError() {
        FakeRedis fake("*1000000000000\r\n");
        QVERIFY(fake.port() > 0);
        RedisConnection c;
        c.setTimeoutMs(3000);
        Error e;
        QElapsedTimer t;
        t.start();
        QVERIFY(!c.open(urlFor(fake.port()), &e));
        QCOMPARE(e.code, ExitCode::Transfer);
        QVERIFY2(e.message.contains(QLatin1String("invalid array reply length")), qPrintable(e.message));
        QVERIFY2(t.elapsed() < 2500, "the bound is checked before waiting for the elements");
    }

    void malformedLengthIsAClearError() {
        FakeRedis fake("$12abc\r\n");
        QVERIFY(fake.port() > 0);
        RedisConnection c;
        c.setTimeoutMs(3000);
        Error e;
        QVERIFY(!c.open(urlFor(fake.port()), &e));
        QCOMPARE(e.code, ExitCode::Transfer);
        QVERIFY2(e.message.contains(QLatin1String("invalid bulk reply length")), qPrintable(e.message));
    }

    // A bulk string within the bound still works: one that is 2 MB, in chunks.
    void boundedBulkStillReads() {
        const QByteArray payload(2 * 1024 * 1024 + 5, 'r');
        FakeRedis fake("$" + QByteArray::number(payload.size()) + "\r\n" + payload + "\r\n");
        QVERIFY(fake.port() > 0);
        RedisConnection c;
        c.setTimeoutMs(5000);
        Error e;
        // PING answered with a bulk string is not an error reply: open succeeds, then a command reads it again.
        QVERIFY2(c.open(urlFor(fake.port()), &e), qPrintable(e.message));
        const auto r = c.command({"ECHO", "x"}, &e);
        QVERIFY2(r.has_value(), qPrintable(e.message));
        QCOMPARE(r->type, RespValue::Type::Bulk);
        QCOMPARE(r->text.size(), payload.size());
    }

    // End to end: `lifeboatctl redis backup` against the hostile server exits 2 with the message, records nothing.
    void cliExitsTwo() {
        FakeRedis fake("$4398046511104\r\n");
        QVERIFY(fake.port() > 0);
        QTemporaryDir tmp;
        const QString home = tmp.filePath(QStringLiteral("home"));
        auto r = TestEnv::ctl(home, {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("local"),
                                     QStringLiteral("--local"), tmp.filePath(QStringLiteral("store"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = TestEnv::ctl(home, {QStringLiteral("redis"), QStringLiteral("backup"), QStringLiteral("hostile"),
                                QStringLiteral("--url"), QStringLiteral("redis://127.0.0.1:%1").arg(fake.port()),
                                QStringLiteral("--storage"), QStringLiteral("local")});
        QVERIFY2(r.exitCode == 2, r.err.constData());
        QVERIFY2(r.err.contains("invalid bulk reply length"), r.err.constData());
        QVERIFY(fake.requests() > 0);
        const auto list = TestEnv::ctl(home, {QStringLiteral("--json"), QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(!list.out.contains("COMPLETED") && !list.out.contains("IN_PROGRESS"), list.out.constData());
    }
};

QTEST_GUILESS_MAIN(TstRedisBounds)
#include "tst_redis_bounds.moc"
