// Secrets outside the documented channels (issue 13, "smaller defects found on review"), through lifeboatctl as a
// user runs it: the identity file is created 0600 (no chmod afterwards) and never replaces a file; a secret handed
// to profile/storage/redis/notify add is kept or refused, never dropped; a webhook URL has a stdin path into the
// credential store and a token-carrying URL is refused on argv; a password in a --target URI is refused; a password
// in the catalog URI never reaches an error message. No database is needed: every refusal happens before one.
#include "TestEnv.h"
#include "catalog/SqlCatalog.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
const QByteArray kPassphrase = "secret-channels-passphrase";

// A webhook receiver: records each request's method and path, answers 200.
class HttpSink : public QObject {
public:
    QList<QByteArray> requests; // "POST /path"

    bool listen() {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    void onData(QTcpSocket *s) {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        const qsizetype end = buf.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        qsizetype length = 0;
        for (const QByteArray &l : buf.left(end).split('\n'))
            if (l.trimmed().toLower().startsWith("content-length:"))
                length = l.trimmed().mid(15).trimmed().toLongLong();
        if (buf.size() < end + 4 + length)
            return;
        const QList<QByteArray> first = buf.left(buf.indexOf("\r\n")).split(' ');
        requests << first.value(0) + ' ' + first.value(1);
        m_buffers.remove(s);
        s->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        s->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};
} // namespace

class TstSecretChannels : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    HttpSink m_sink;
    int m_homes = 0;

    static QProcessEnvironment noKeychain() {
        // No D-Bus session: no keychain answers, and stdin is no terminal, so there is no credential store.
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        e.remove(QStringLiteral("LIFEBOAT_SECRETS_PASSPHRASE"));
        return e;
    }
    static QProcessEnvironment withFileStore() {
        QProcessEnvironment e = noKeychain();
        e.insert(QStringLiteral("LIFEBOAT_SECRETS_PASSPHRASE"), QString::fromLatin1(kPassphrase));
        return e;
    }
    QString newHome() { return m_tmp.filePath(QStringLiteral("home%1").arg(++m_homes)); }

    // Runs lifeboatctl while this thread's event loop keeps serving the HTTP sink.
    static TestEnv::Run ctl(const QString &home, const QStringList &args, const QByteArray &in = {},
                            const QProcessEnvironment &env = noKeychain()) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(TestEnv::lifeboatctl(), QStringList{QStringLiteral("--home"), home} + args);
        TestEnv::Run r;
        if (!p.waitForStarted())
            return r;
        if (!in.isEmpty())
            p.write(in);
        p.closeWriteChannel();
        for (int i = 0; i < 1200 && p.state() != QProcess::NotRunning; ++i)
            QTest::qWait(50);
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }
    static QByteArray fileBytes(const QString &path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // Everything a home keeps that is meant to be shareable: settings and the catalog (with its WAL).
    static QByteArray shareable(const QString &home) {
        QByteArray all;
        for (const QString &f :
             {QStringLiteral("/config.json"), QStringLiteral("/catalog.sqlite"), QStringLiteral("/catalog.sqlite-wal")})
            all += fileBytes(home + f);
        return all;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        QVERIFY(m_sink.listen());
    }

    // The identity file is created with mode 0600 (O_CREAT|O_EXCL): no moment with the umask's permissions, so no
    // chmod afterwards — inotify reports every attribute change of a file in the directory.
    void keygenCreatesTheIdentityPrivate() {
        const QString dir = m_tmp.filePath(QStringLiteral("keys"));
        QVERIFY(QDir().mkpath(dir));
        const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        QVERIFY(fd >= 0);
        QVERIFY(::inotify_add_watch(fd, QFile::encodeName(dir).constData(), IN_CREATE | IN_ATTRIB | IN_MOVED_TO) >= 0);
        const mode_t old = ::umask(0); // the most permissive umask: only the creation mode protects the file
        const auto r =
            ctl(newHome(), {QStringLiteral("keygen"), QStringLiteral("--out"), dir + QStringLiteral("/id.txt")});
        ::umask(old);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.err.contains("age1"));
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(dir + QStringLiteral("/id.txt")).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0600));
        QVERIFY(fileBytes(dir + QStringLiteral("/id.txt")).contains("AGE-SECRET-KEY-1"));

        QStringList created, attrib;
        alignas(inotify_event) char buf[8192];
        for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) {
            for (char *p = buf; p < buf + n;) {
                const auto *ev = reinterpret_cast<const inotify_event *>(p);
                const QString name = ev->len ? QFile::decodeName(ev->name) : QString();
                if (ev->mask & IN_CREATE)
                    created << name;
                if (ev->mask & IN_ATTRIB)
                    attrib << name;
                p += sizeof(inotify_event) + ev->len;
            }
        }
        ::close(fd);
        QVERIFY2(created.contains(QStringLiteral("id.txt.partial")), qPrintable(created.join(u',')));
        QVERIFY2(attrib.isEmpty(),
                 qPrintable(QStringLiteral("permissions changed after creation: ") + attrib.join(u',')));
    }

    void keygenRefusesAnExistingFileBeforeStoringAnything() {
        const QString home = newHome();
        const QString file = m_tmp.filePath(QStringLiteral("existing-id.txt"));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("keep me");
        }
        QCOMPARE(ctl(home, {QStringLiteral("secrets"), QStringLiteral("use"), QStringLiteral("file")}).exitCode, 0);
        const auto r = ctl(
            home,
            {QStringLiteral("keygen"), QStringLiteral("--out"), file, QStringLiteral("--store"), QStringLiteral("ops")},
            {}, withFileStore());
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("already exists"), r.err.constData());
        QCOMPARE(fileBytes(file), QByteArray("keep me"));
        QVERIFY(!QFile::exists(file + QStringLiteral(".partial")));
        // Refused as a whole: the identity was not kept in the store either.
        QVERIFY2(!QFile::exists(home + QStringLiteral("/secrets.age")), "the identity was stored anyway");
    }

    // No usable credential store: the secret handed over is refused with the guidance, and nothing is saved.
    void secretsAreRefusedWithoutAStore() {
        const QString home = newHome();
        auto r =
            ctl(home,
                {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("p"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=127.0.0.1 port=1 dbname=shop user=app"), QStringLiteral("--password-stdin")},
                "profile-pw-8812\n");
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("not saved") && r.err.contains("secrets use keychain|file") &&
                     r.err.contains("--password-stdin"),
                 r.err.constData());
        // The same for a password inside the connection string: moved to a store, or refused.
        r = ctl(home, {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("p"),
                       QStringLiteral("--conninfo"), QStringLiteral("postgresql://app:uri-pw-4471@127.0.0.1:1/shop")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(!r.err.contains("uri-pw-4471"));
        r = ctl(home,
                {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--bucket"),
                 QStringLiteral("b"), QStringLiteral("--path-style"), QStringLiteral("--access-key-id"),
                 QStringLiteral("AKIDEXAMPLE")},
                QByteArray());
        QCOMPARE(r.exitCode, 0); // no secret handed over: the AWS chain applies later, nothing to refuse
        r = ctl(home,
                {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket2"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--bucket"),
                 QStringLiteral("b"), QStringLiteral("--access-key-id"), QStringLiteral("AKIDEXAMPLE"),
                 QStringLiteral("--secret-stdin")},
                "s3-secret-9931\n");
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("not saved") && r.err.contains("secrets use keychain|file"), r.err.constData());
        r = ctl(home,
                {QStringLiteral("redis"), QStringLiteral("add"), QStringLiteral("cache"), QStringLiteral("--url"),
                 QStringLiteral("redis://127.0.0.1:6399"), QStringLiteral("--password-stdin")},
                "redis-pw-5521\n");
        QCOMPARE(r.exitCode, 3);
        const QByteArray config = fileBytes(home + QStringLiteral("/config.json"));
        QVERIFY2(!config.contains("\"p\"") && !config.contains("bucket2") && !config.contains("cache"),
                 config.constData());
        QVERIFY(config.contains("\"bucket\""));

        // Where the user chose a store, the same commands keep the secret there.
        QCOMPARE(ctl(home, {QStringLiteral("secrets"), QStringLiteral("use"), QStringLiteral("file")}).exitCode, 0);
        r = ctl(home,
                {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("p"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=127.0.0.1 port=1 dbname=shop user=app"), QStringLiteral("--password-stdin")},
                "profile-pw-8812\n", withFileStore());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QFile::exists(home + QStringLiteral("/secrets.age")));
        QVERIFY(!shareable(home).contains("profile-pw-8812"));
        const auto status = ctl(home, {QStringLiteral("secrets"), QStringLiteral("status")}, {}, withFileStore());
        QVERIFY2(status.exitCode == 0, status.err.constData());
    }

    void webhookUrlWithATokenIsRefusedOnTheCommandLine() {
        const QString home = newHome();
        for (const QString &url : {QStringLiteral("https://hooks.example.com/in?token=tok-6621"),
                                   QStringLiteral("https://hooks.example.com/in?code=tok-6621&x=1"),
                                   QStringLiteral("https://bot:tok-6621@hooks.example.com/in"),
                                   // Slack, Teams and Discord carry the secret in the path.
                                   QStringLiteral("https://hooks.slack.com/services/T0/B0/tok-6621"),
                                   QStringLiteral("https://hooks.example.com/in?x=tok-6621")}) {
            const auto r = ctl(home, {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("team"),
                                      QStringLiteral("--webhook"), url});
            QVERIFY2(r.exitCode == 3, qPrintable(url));
            QVERIFY2(r.err.contains("--webhook-stdin"), r.err.constData());
            QVERIFY(!r.err.contains("tok-6621"));
        }
        const auto list = ctl(home, {QStringLiteral("--json"), QStringLiteral("notify"), QStringLiteral("list")});
        QCOMPARE(QJsonDocument::fromJson(list.out).array().size(), 0);
        QVERIFY(!shareable(home).contains("tok-6621"));
        // Without a credential store the stdin path refuses too, rather than drop the URL.
        const auto r = ctl(home,
                           {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("team"),
                            QStringLiteral("--webhook-stdin")},
                           "https://hooks.example.com/services/T1/B2/tok-6621\n");
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("not saved") && r.err.contains("secrets use"), r.err.constData());
        QVERIFY(!shareable(home).contains("tok-6621"));
    }

    // --webhook-stdin: the URL lives in the credential store, the catalog holds only where it posts; delivery works.
    void webhookFromStdinIsKeptInTheStore() {
        const QString home = newHome();
        QCOMPARE(ctl(home, {QStringLiteral("secrets"), QStringLiteral("use"), QStringLiteral("file")}).exitCode, 0);
        const QByteArray url = "http://127.0.0.1:" + QByteArray::number(m_sink.port()) + "/services/T1/SECRETPATH77";
        auto r = ctl(home,
                     {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("team"),
                      QStringLiteral("--webhook-stdin"), QStringLiteral("--on"), QStringLiteral("always")},
                     url + '\n', withFileStore());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!r.err.contains("SECRETPATH77"));
        QVERIFY2(!shareable(home).contains("SECRETPATH77"), "the webhook URL reached the catalog or settings");
        QVERIFY(!fileBytes(home + QStringLiteral("/secrets.age")).contains("SECRETPATH77")); // encrypted

        r = ctl(home, {QStringLiteral("notify"), QStringLiteral("list")});
        QVERIFY2(r.out.contains("http://127.0.0.1:") && r.out.contains("credential store") &&
                     !r.out.contains("SECRETPATH77"),
                 r.out.constData());
        m_sink.requests.clear();
        r = ctl(home, {QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("team")}, {}, withFileStore());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_sink.requests, QList<QByteArray>{QByteArray("POST /services/T1/SECRETPATH77")});

        // Without the store's passphrase the notifier can't send, and says how to fix it (without the URL).
        r = ctl(home, {QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("team")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("credential store") && !r.err.contains("SECRETPATH77"), r.err.constData());

        // A webhook with a path kept in the catalog the old way (`--webhook URL` accepted it before paths were
        // refused) still works next to it.
        {
            lifeboat::SqlCatalog cat(QStringLiteral("QSQLITE"), home + QStringLiteral("/catalog.sqlite"));
            QString err;
            QVERIFY2(cat.open(&err), qPrintable(err));
            lifeboat::NotifierRecord plain;
            plain.name = QStringLiteral("plain");
            plain.kind = QStringLiteral("webhook");
            plain.url = QStringLiteral("http://127.0.0.1:%1/plain-hook").arg(m_sink.port());
            QVERIFY2(cat.saveNotifier(plain, &err), qPrintable(err));
        }
        m_sink.requests.clear();
        r = ctl(home, {QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("plain")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_sink.requests, QList<QByteArray>{QByteArray("POST /plain-hook")});
        QCOMPARE(
            ctl(home, {QStringLiteral("notify"), QStringLiteral("remove"), QStringLiteral("team")}, {}, withFileStore())
                .exitCode,
            0);
    }

    void passwordInATargetUriIsRefused() {
        const QString home = newHome();
        for (const QString &target : {QStringLiteral("postgresql://app:target-pw-3390@127.0.0.1:1/shop"),
                                      QStringLiteral("host=127.0.0.1 port=1 user=app password=target-pw-3390")}) {
            for (const QString &cmd : {QStringLiteral("restore"), QStringLiteral("verify")}) {
                QStringList args{cmd, m_tmp.filePath(QStringLiteral("no-such.dump")), QStringLiteral("--target"),
                                 target};
                if (cmd == QLatin1String("restore"))
                    args << QStringLiteral("--target-db") << QStringLiteral("x");
                const auto r = ctl(home, args);
                QVERIFY2(r.exitCode == 3, qPrintable(cmd + QStringLiteral(": ") + QString::fromUtf8(r.err)));
                QVERIFY2(r.err.contains("--password-stdin") && r.err.contains("password"), r.err.constData());
                QVERIFY(!r.err.contains("target-pw-3390") && !r.out.contains("target-pw-3390"));
            }
        }
    }

    void catalogUriPasswordIsNeverEchoed() {
        const QString home = newHome();
        for (const QString &uri : {QStringLiteral("postgresql://lb:cat-pw-5150@127.0.0.1:1/catalog"),
                                   QStringLiteral("postgresql://lb@127.0.0.1:1/catalog?password=cat-pw-5150"),
                                   QStringLiteral("host=127.0.0.1 port=1 dbname=catalog password='cat-pw-5150'")}) {
            const auto r = ctl(home, {QStringLiteral("--catalog"), uri, QStringLiteral("list")});
            QCOMPARE(r.exitCode, 3);
            QVERIFY2(r.err.contains("cannot open the catalog") && r.err.contains("127.0.0.1"), r.err.constData());
            QVERIFY2(!r.err.contains("cat-pw-5150"), r.err.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TstSecretChannels)
#include "tst_secret_channels.moc"
