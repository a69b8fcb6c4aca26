// lifeboatctl redis backup against real Debian redis-server processes started here (requirepass, a TLS one with
// a throwaway CA): keys of every type go in, the stored RDB loads into a fresh redis-server with the same keys and
// values; a wrong or missing password is a clear usage error with no record and no artifact; the password never
// reaches the manifest, the catalog, config.json or the output.
#include "TestEnv.h"

#include "catalog/Manifest.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace lifeboat;

namespace {
const QString kPassword = QStringLiteral("s3cret-Redis-pw-7f2c");

quint16 freePort() {
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

// One redis-server child with its own directory; stopped (and its files removed with the dir) at the end.
class RedisServer {
public:
    bool start(const QString &dir, const QStringList &extra, quint16 port, bool tls = false) {
        m_port = port;
        m_dir = dir;
        m_tls = tls;
        QDir().mkpath(dir);
        QStringList args{QStringLiteral("--bind"),       QStringLiteral("127.0.0.1"),
                         QStringLiteral("--dir"),        dir,
                         QStringLiteral("--save"),       QString(),
                         QStringLiteral("--appendonly"), QStringLiteral("no"),
                         QStringLiteral("--logfile"),    dir + QStringLiteral("/redis.log")};
        if (tls)
            args << QStringLiteral("--port") << QStringLiteral("0") << QStringLiteral("--tls-port")
                 << QString::number(port);
        else
            args << QStringLiteral("--port") << QString::number(port);
        args << extra;
        m_proc.setProgram(QStringLiteral("/usr/bin/redis-server"));
        m_proc.setArguments(args);
        m_proc.start();
        if (!m_proc.waitForStarted())
            return false;
        for (int i = 0; i < 100; ++i) {
            if (cli({QStringLiteral("PING")}).trimmed() == "PONG")
                return true;
            QThread::msleep(100);
        }
        return false;
    }
    ~RedisServer() {
        if (m_proc.state() != QProcess::NotRunning) {
            m_proc.terminate();
            if (!m_proc.waitForFinished(5000))
                m_proc.kill();
            m_proc.waitForFinished(2000);
        }
    }
    void setPassword(const QString &p) { m_password = p; }
    void setTlsFiles(const QStringList &f) { m_tlsArgs = f; }
    // redis-cli with the password in REDISCLI_AUTH (not argv).
    QByteArray cli(const QStringList &args, const QByteArray &stdinData = {}) const {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!m_password.isEmpty())
            env.insert(QStringLiteral("REDISCLI_AUTH"), m_password);
        p.setProcessEnvironment(env);
        QStringList full{QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                         QString::number(m_port)};
        if (m_tls)
            full << QStringLiteral("--tls") << m_tlsArgs;
        p.start(QStringLiteral("redis-cli"), full + args);
        p.waitForStarted();
        if (!stdinData.isEmpty())
            p.write(stdinData);
        p.closeWriteChannel();
        p.waitForFinished(20000);
        return p.readAllStandardOutput();
    }
    quint16 port() const { return m_port; }
    QString dir() const { return m_dir; }

private:
    QProcess m_proc;
    quint16 m_port = 0;
    QString m_dir;
    QString m_password;
    bool m_tls = false;
    QStringList m_tlsArgs;
};

QJsonObject jsonOf(const TestEnv::Run &r) {
    return QJsonDocument::fromJson(r.out).object();
}

// Everything a database holds, as text: per key its type, TTL presence and value (members sorted where the
// type is unordered).
QByteArray contents(const RedisServer &s, int db) {
    QByteArray out;
    const QStringList sel{QStringLiteral("-n"), QString::number(db)};
    QList<QByteArray> keys =
        s.cli(sel + QStringList{QStringLiteral("--raw"), QStringLiteral("KEYS"), QStringLiteral("*")}).split('\n');
    keys.removeAll(QByteArray());
    std::sort(keys.begin(), keys.end());
    for (const QByteArray &k : keys) {
        const QString key = QString::fromUtf8(k);
        const QByteArray type = s.cli(sel + QStringList{QStringLiteral("TYPE"), key}).trimmed();
        out += k + ' ' + type + ' ';
        const qint64 ttl = s.cli(sel + QStringList{QStringLiteral("TTL"), key}).trimmed().toLongLong();
        out += ttl > 0 ? "ttl " : "persistent ";
        QByteArray v;
        if (type == "string") {
            v = s.cli(sel + QStringList{QStringLiteral("--raw"), QStringLiteral("GET"), key});
        } else if (type == "hash") {
            QList<QByteArray> l = s.cli(sel + QStringList{QStringLiteral("HGETALL"), key}).split('\n');
            std::sort(l.begin(), l.end());
            v = l.join('|');
        } else if (type == "list") {
            v = s.cli(sel + QStringList{QStringLiteral("LRANGE"), key, QStringLiteral("0"), QStringLiteral("-1")});
        } else if (type == "set") {
            QList<QByteArray> l = s.cli(sel + QStringList{QStringLiteral("SMEMBERS"), key}).split('\n');
            std::sort(l.begin(), l.end());
            v = l.join('|');
        } else if (type == "zset") {
            v = s.cli(sel + QStringList{QStringLiteral("ZRANGE"), key, QStringLiteral("0"), QStringLiteral("-1"),
                                        QStringLiteral("WITHSCORES")});
        } else if (type == "stream") {
            v = s.cli(sel + QStringList{QStringLiteral("XRANGE"), key, QStringLiteral("-"), QStringLiteral("+")});
        }
        out += v + '\n';
    }
    return out;
}

QByteArray gunzip(const QString &path) {
    QProcess p;
    p.start(QStringLiteral("gzip"), {QStringLiteral("-dc"), path});
    p.waitForFinished(60000);
    return p.readAllStandardOutput();
}
} // namespace

class TstRedisBackup : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_base;
    QString m_home, m_store;
    std::unique_ptr<RedisServer> m_src;
    QByteArray m_db0, m_db3;

    TestEnv::Run ctl(const QStringList &args, const QByteArray &in = {},
                     const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment()) {
        return TestEnv::ctl(m_home, args, in, env, 120000);
    }
    QString path(const QString &rel) const { return m_base.filePath(rel); }
    QStringList artifactsInStore() const {
        QStringList out;
        QDirIterator it(m_store, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            out << it.next();
        return out;
    }
    // Loads an RDB into a fresh server (no password) and returns its contents of db 0 and db 3.
    QPair<QByteArray, QByteArray> loadElsewhere(const QByteArray &rdb, const QString &name) {
        const QString dir = path(name);
        QDir().mkpath(dir);
        QFile f(dir + QStringLiteral("/dump.rdb"));
        if (!f.open(QIODevice::WriteOnly) || f.write(rdb) != rdb.size())
            return {};
        f.close();
        RedisServer fresh;
        if (!fresh.start(dir, {QStringLiteral("--dbfilename"), QStringLiteral("dump.rdb")}, freePort()))
            return {};
        return {contents(fresh, 0), contents(fresh, 3)};
    }

private slots:
    void initTestCase() {
        QVERIFY(m_base.isValid());
        QVERIFY2(QFile::exists(QStringLiteral("/usr/bin/redis-server")), "redis-server is not installed");
        m_home = path(QStringLiteral("home"));
        m_store = path(QStringLiteral("store"));
        QVERIFY(QDir().mkpath(m_home) && QDir().mkpath(m_store));
        const auto add = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("local"),
                              QStringLiteral("--local"), m_store});
        QVERIFY2(add.exitCode == 0, add.err.constData());

        m_src = std::make_unique<RedisServer>();
        m_src->setPassword(kPassword);
        QVERIFY(m_src->start(path(QStringLiteral("source")), {QStringLiteral("--requirepass"), kPassword}, freePort()));
        auto &s = *m_src;
        QCOMPARE(s.cli({QStringLiteral("SET"), QStringLiteral("greeting"), QStringLiteral("héllo wörld")}).trimmed(),
                 QByteArray("OK"));
        s.cli({QStringLiteral("-x"), QStringLiteral("SET"), QStringLiteral("binary")},
              QByteArray("\x00\x01\xff\r\n zero", 10));
        s.cli({QStringLiteral("SET"), QStringLiteral("session:42"), QStringLiteral("alive"), QStringLiteral("EX"),
               QStringLiteral("86400")});
        s.cli({QStringLiteral("HSET"), QStringLiteral("user:1"), QStringLiteral("name"), QStringLiteral("Ada"),
               QStringLiteral("role"), QStringLiteral("admin")});
        s.cli({QStringLiteral("RPUSH"), QStringLiteral("queue:jobs"), QStringLiteral("a"), QStringLiteral("b"),
               QStringLiteral("c"), QStringLiteral("b")});
        s.cli({QStringLiteral("SADD"), QStringLiteral("tags"), QStringLiteral("x"), QStringLiteral("y"),
               QStringLiteral("z")});
        s.cli({QStringLiteral("ZADD"), QStringLiteral("scores"), QStringLiteral("1.5"), QStringLiteral("ann"),
               QStringLiteral("-3"), QStringLiteral("bob")});
        s.cli({QStringLiteral("XADD"), QStringLiteral("events"), QStringLiteral("1-1"), QStringLiteral("kind"),
               QStringLiteral("signup")});
        s.cli({QStringLiteral("XADD"), QStringLiteral("events"), QStringLiteral("2-1"), QStringLiteral("kind"),
               QStringLiteral("login")});
        // Enough list entries that the RDB is more than a few bytes.
        QStringList many{QStringLiteral("RPUSH"), QStringLiteral("bulk")};
        for (int i = 0; i < 5000; ++i)
            many << QStringLiteral("item-%1").arg(i);
        s.cli(many);
        s.cli({QStringLiteral("-n"), QStringLiteral("3"), QStringLiteral("SET"), QStringLiteral("other-db"),
               QStringLiteral("three")});
        m_db0 = contents(s, 0);
        m_db3 = contents(s, 3);
        QVERIFY(m_db0.contains("greeting string persistent héllo wörld"));
        QVERIFY(m_db0.contains("session:42 string ttl"));
        QVERIFY(m_db0.contains("events stream"));
        QVERIFY(m_db3.contains("other-db"));
    }

    void backupLoadsInAFreshServer() {
        const auto b =
            ctl({QStringLiteral("--json"), QStringLiteral("redis"), QStringLiteral("backup"), QStringLiteral("cache"),
                 QStringLiteral("--url"), QStringLiteral("redis://127.0.0.1:%1").arg(m_src->port()),
                 QStringLiteral("--password-stdin"), QStringLiteral("--storage"), QStringLiteral("local")},
                kPassword.toUtf8() + '\n');
        QVERIFY2(b.exitCode == 0, b.err.constData());
        QVERIFY(!b.out.contains(kPassword.toUtf8()) && !b.err.contains(kPassword.toUtf8()));
        const QJsonObject res = jsonOf(b);
        const qint64 id = res.value(QStringLiteral("id")).toInteger();
        QVERIFY(id > 0);
        const QString artifact = res.value(QStringLiteral("locations"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QStringLiteral("path"))
                                     .toString();
        QVERIFY2(artifact.endsWith(QLatin1String(".rdb.gz")), qPrintable(artifact));

        QFile mf(artifact + QStringLiteral(".manifest.json"));
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QByteArray manifestJson = mf.readAll();
        QVERIFY(!manifestJson.contains(kPassword.toUtf8()));
        QString err;
        const Manifest m = Manifest::fromJson(manifestJson, &err);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        QCOMPARE(m.kind, QStringLiteral("redis"));
        QCOMPARE(m.format, QStringLiteral("rdb"));
        QVERIFY(m.serverVersion.startsWith(QLatin1String("7.")));
        QCOMPARE(m.host, QStringLiteral("127.0.0.1:%1").arg(m_src->port()));

        const auto show = ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(id)});
        QCOMPARE(jsonOf(show).value(QStringLiteral("kind")).toString(), QStringLiteral("redis"));
        QCOMPARE(jsonOf(show).value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
        QVERIFY(!show.out.contains(kPassword.toUtf8()));

        const QByteArray rdb = gunzip(artifact);
        QVERIFY(rdb.startsWith("REDIS"));
        const auto loaded = loadElsewhere(rdb, QStringLiteral("fresh1"));
        QCOMPARE(loaded.first, m_db0);
        QCOMPARE(loaded.second, m_db3);
    }

    void wrongOrMissingPasswordIsAClearError() {
        const QStringList before = artifactsInStore();
        const auto listBefore = ctl({QStringLiteral("--json"), QStringLiteral("list")});
        const auto wrong =
            ctl({QStringLiteral("redis"), QStringLiteral("backup"), QStringLiteral("cache"), QStringLiteral("--url"),
                 QStringLiteral("redis://127.0.0.1:%1").arg(m_src->port()), QStringLiteral("--password-stdin"),
                 QStringLiteral("--storage"), QStringLiteral("local")},
                "not-the-password\n");
        QCOMPARE(wrong.exitCode, 3);
        QVERIFY2(wrong.err.contains("refused the credentials"), wrong.err.constData());
        QVERIFY(!wrong.err.contains("not-the-password"));

        const auto none = ctl({QStringLiteral("redis"), QStringLiteral("backup"), QStringLiteral("cache"),
                               QStringLiteral("--url"), QStringLiteral("redis://127.0.0.1:%1").arg(m_src->port()),
                               QStringLiteral("--storage"), QStringLiteral("local")});
        QCOMPARE(none.exitCode, 3);
        QVERIFY2(none.err.contains("requires a password"), none.err.constData());

        const auto unreachable = ctl({QStringLiteral("redis"), QStringLiteral("backup"), QStringLiteral("cache"),
                                      QStringLiteral("--url"), QStringLiteral("redis://127.0.0.1:%1").arg(freePort()),
                                      QStringLiteral("--storage"), QStringLiteral("local")});
        QCOMPARE(unreachable.exitCode, 2);

        // No file was left behind; each attempt is recorded FAILED with its error and no copy (issue #20).
        QCOMPARE(artifactsInStore(), before);
        const auto listAfter = ctl({QStringLiteral("--json"), QStringLiteral("list")});
        const QJsonArray after = QJsonDocument::fromJson(listAfter.out).array();
        QCOMPARE(after.size(), QJsonDocument::fromJson(listBefore.out).array().size() + 3);
        QSet<qint64> known;
        for (const QJsonValue &v : QJsonDocument::fromJson(listBefore.out).array())
            known.insert(v[QStringLiteral("id")].toInteger());
        for (const QJsonValue &v : after) {
            const QJsonObject o = v.toObject();
            if (known.contains(o.value(QStringLiteral("id")).toInteger()))
                continue;
            QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
            QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("redis"));
            QVERIFY(!o.value(QStringLiteral("error")).toString().isEmpty());
            QVERIFY(!o.value(QStringLiteral("error")).toString().contains(QStringLiteral("not-the-password")));
            QVERIFY(o.value(QStringLiteral("locations")).toArray().isEmpty());
        }
    }

    void configuredSourceWithSecretEnvAndLocalRdb() {
        const auto add =
            ctl({QStringLiteral("redis"), QStringLiteral("add"), QStringLiteral("queue"), QStringLiteral("--url"),
                 QStringLiteral("redis://127.0.0.1:%1").arg(m_src->port()), QStringLiteral("--storage"),
                 QStringLiteral("local"), QStringLiteral("--compress"), QStringLiteral("zstd")});
        QVERIFY2(add.exitCode == 0, add.err.constData());
        QFile cfg(m_home + QStringLiteral("/config.json"));
        QVERIFY(cfg.open(QIODevice::ReadOnly));
        QVERIFY(cfg.readAll().contains("redisSources"));

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QUEUE_REDIS_PW"), kPassword);
        const auto b =
            ctl({QStringLiteral("--json"), QStringLiteral("redis"), QStringLiteral("backup"), QStringLiteral("queue"),
                 QStringLiteral("--secret-env"), QStringLiteral("QUEUE_REDIS_PW"), QStringLiteral("--rdb-path"),
                 m_src->dir() + QStringLiteral("/dump.rdb"), QStringLiteral("--compress"), QStringLiteral("none")},
                {}, env);
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QString artifact = jsonOf(b)
                                     .value(QStringLiteral("locations"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QStringLiteral("path"))
                                     .toString();
        QVERIFY2(artifact.endsWith(QLatin1String(".rdb")), qPrintable(artifact));
        QFile a(artifact);
        QVERIFY(a.open(QIODevice::ReadOnly));
        const auto loaded = loadElsewhere(a.readAll(), QStringLiteral("fresh2"));
        QCOMPARE(loaded.first, m_db0);
    }

    void tlsWithPrivateCa() {
        const QString pki = path(QStringLiteral("pki"));
        QDir().mkpath(pki);
        auto openssl = [&](const QStringList &args) { return TestEnv::run(QStringLiteral("openssl"), args).exitCode; };
        QCOMPARE(
            openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                     QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("2"),
                     QStringLiteral("-subj"), QStringLiteral("/CN=Lifeboat Test CA"), QStringLiteral("-keyout"),
                     pki + QStringLiteral("/ca.key"), QStringLiteral("-out"), pki + QStringLiteral("/ca.crt")}),
            0);
        QCOMPARE(openssl({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                          QStringLiteral("-nodes"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                          QStringLiteral("-keyout"), pki + QStringLiteral("/server.key"), QStringLiteral("-out"),
                          pki + QStringLiteral("/server.csr")}),
                 0);
        QFile ext(pki + QStringLiteral("/ext.cnf"));
        QVERIFY(ext.open(QIODevice::WriteOnly));
        ext.write("subjectAltName=IP:127.0.0.1\n");
        ext.close();
        QCOMPARE(
            openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                     pki + QStringLiteral("/server.csr"), QStringLiteral("-CA"), pki + QStringLiteral("/ca.crt"),
                     QStringLiteral("-CAkey"), pki + QStringLiteral("/ca.key"), QStringLiteral("-CAcreateserial"),
                     QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"),
                     pki + QStringLiteral("/ext.cnf"), QStringLiteral("-out"), pki + QStringLiteral("/server.crt")}),
            0);
        RedisServer tls;
        tls.setPassword(kPassword);
        tls.setTlsFiles({QStringLiteral("--cacert"), pki + QStringLiteral("/ca.crt")});
        QVERIFY(tls.start(path(QStringLiteral("tls")),
                          {QStringLiteral("--requirepass"), kPassword, QStringLiteral("--tls-cert-file"),
                           pki + QStringLiteral("/server.crt"), QStringLiteral("--tls-key-file"),
                           pki + QStringLiteral("/server.key"), QStringLiteral("--tls-ca-cert-file"),
                           pki + QStringLiteral("/ca.crt"), QStringLiteral("--tls-auth-clients"), QStringLiteral("no")},
                          freePort(), true));
        tls.cli({QStringLiteral("SET"), QStringLiteral("over"), QStringLiteral("tls")});
        const QString url = QStringLiteral("rediss://127.0.0.1:%1").arg(tls.port());

        // Without the CA the certificate is not trusted: a transfer error that says what to do.
        const auto untrusted =
            ctl({QStringLiteral("redis"), QStringLiteral("backup"), QStringLiteral("tls"), QStringLiteral("--url"), url,
                 QStringLiteral("--password-stdin"), QStringLiteral("--storage"), QStringLiteral("local")},
                kPassword.toUtf8());
        QCOMPARE(untrusted.exitCode, 2);
        QVERIFY2(untrusted.err.contains("--ca-file"), untrusted.err.constData());

        const auto b =
            ctl({QStringLiteral("--json"), QStringLiteral("redis"), QStringLiteral("backup"), QStringLiteral("tls"),
                 QStringLiteral("--url"), url, QStringLiteral("--password-stdin"), QStringLiteral("--ca-file"),
                 pki + QStringLiteral("/ca.crt"), QStringLiteral("--storage"), QStringLiteral("local")},
                kPassword.toUtf8());
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QString artifact = jsonOf(b)
                                     .value(QStringLiteral("locations"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QStringLiteral("path"))
                                     .toString();
        const auto loaded = loadElsewhere(gunzip(artifact), QStringLiteral("fresh3"));
        QCOMPARE(loaded.first, QByteArray("over string persistent tls\n\n")); // GET's own newline, then the record's
    }
};

QTEST_GUILESS_MAIN(TstRedisBackup)
#include "tst_redis_backup.moc"
