#include "secrets/EnvCredentialStore.h"
#include "secrets/KeychainProbe.h"
#include "secrets/PromptCredentialStore.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

using namespace lifeboat;

namespace {

const QString kChild = QStringLiteral(LIFEBOAT_SECRETS_CHILD);

// The environment of a cron job or an ssh session without a desktop: no session bus anywhere.
QProcessEnvironment noDbusEnvironment(const QString &emptyRuntimeDir) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP",
                             "DESKTOP_SESSION", "GNOME_KEYRING_CONTROL"})
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), emptyRuntimeDir);
    return env;
}

struct ChildRun {
    int exitCode = -1;
    QByteArray out;
    qint64 ms = 0;
};

ChildRun runChild(const QStringList &args, const QProcessEnvironment &env, const QByteArray &input = {}) {
    QProcess p;
    p.setProcessEnvironment(env);
    QElapsedTimer timer;
    timer.start();
    p.start(kChild, args);
    ChildRun r;
    if (!p.waitForStarted(5000))
        return r;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(20000)) {
        p.kill();
        p.waitForFinished();
    }
    r.ms = timer.elapsed();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    return r;
}

QByteArray hex(const char *s) {
    return QByteArray(s).toHex();
}

} // namespace

class TstSecrets : public QObject {
    Q_OBJECT
private slots:
    void probeWithoutSessionBusIsQuickAndClear() {
        QTemporaryDir runtime;
        const ChildRun r = runChild({QStringLiteral("probe")}, noDbusEnvironment(runtime.path()));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.out.contains("available=0"), r.out.constData());
        QVERIFY2(r.out.contains("state=1"), r.out.constData()); // NoSessionBus
        QVERIFY2(r.out.contains("message=no keychain: there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not "
                                "set)"),
                 r.out.constData());
        QVERIFY2(r.out.contains("--secret-env NAME"), r.out.constData()); // says what to do instead
        QVERIFY2(r.ms < 5000, QByteArray::number(r.ms).constData());
    }

    void probeWithDeadBusAddressIsQuickAndClear() {
        // An address that points nowhere (a stale session): connecting fails, it must not hang.
        QTemporaryDir runtime;
        QProcessEnvironment env = noDbusEnvironment(runtime.path());
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                   QStringLiteral("unix:path=%1/no-such-bus").arg(runtime.path()));
        const ChildRun r = runChild({QStringLiteral("probe")}, env);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.out.contains("state=1"), r.out.constData());
        QVERIFY2(r.out.contains("cannot connect to the D-Bus session bus"), r.out.constData());
        QVERIFY2(r.ms < 5000, QByteArray::number(r.ms).constData());
    }

    void probeWithBusButNoSecretService() {
        // A real session bus that offers no services at all (no service directories in its configuration).
        QTemporaryDir dir;
        QFile config(dir.filePath(QStringLiteral("bus.conf")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
                     "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                     "<busconfig><type>session</type><listen>unix:tmpdir=" +
                     dir.path().toLocal8Bit() +
                     "</listen><auth>EXTERNAL</auth><policy context=\"default\"><allow send_destination=\"*\" "
                     "eavesdrop=\"true\"/><allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n");
        config.close();
        QProcessEnvironment env = noDbusEnvironment(dir.path());
        QProcess p;
        p.setProcessEnvironment(env);
        QElapsedTimer timer;
        timer.start();
        p.start(QStringLiteral("dbus-run-session"), {QStringLiteral("--config-file=%1").arg(config.fileName()),
                                                     QStringLiteral("--"), kChild, QStringLiteral("probe")});
        QVERIFY2(p.waitForStarted(5000), "dbus-run-session (Debian package dbus) is needed for this test");
        QVERIFY(p.waitForFinished(20000));
        const QByteArray out = p.readAllStandardOutput();
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(out.contains("state=2"), out.constData()); // NoSecretService
        QVERIFY2(out.contains("nothing provides the Secret Service (org.freedesktop.secrets)"), out.constData());
        QVERIFY2(timer.elapsed() < 5000, QByteArray::number(timer.elapsed()).constData());
    }

    void keychainStoreWithoutSessionBusReportsUnavailable() {
        QTemporaryDir runtime;
        const ChildRun r = runChild({QStringLiteral("keychain-read"), QStringLiteral("profile/prod/password")},
                                    noDbusEnvironment(runtime.path()));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.out.contains("failure=2"), r.out.constData()); // Unavailable, not NotFound
        QVERIFY2(r.out.contains("no D-Bus session bus"), r.out.constData());
        QVERIFY2(r.ms < 5000, QByteArray::number(r.ms).constData());
    }

    void promptStoreReadsPipedStdinWithoutDbus() {
        QTemporaryDir runtime;
        const ChildRun r = runChild(
            {QStringLiteral("prompt"), QStringLiteral("profile/prod/password"), QStringLiteral("storage/s3/secret")},
            noDbusEnvironment(runtime.path()), "pa ss wörd\r\nsecond-secret\nleftover\n");
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("profile/prod/password=" + QString::fromUtf8("pa ss wörd").toUtf8().toHex() + "\n"),
                 r.out.constData());
        QVERIFY2(r.out.contains("storage/s3/secret=" + hex("second-secret") + "\n"), r.out.constData());
        QVERIFY2(r.out.contains("again=" + QString::fromUtf8("pa ss wörd").toUtf8().toHex()), r.out.constData());
        // Piped input gets no prompt (cron logs stay clean).
        QVERIFY(!r.out.contains("Lifeboat: secret for"));
    }

    void promptStoreEndOfInputIsDeclined() {
        QTemporaryDir runtime;
        const ChildRun r = runChild({QStringLiteral("prompt"), QStringLiteral("smtp/mail")},
                                    noDbusEnvironment(runtime.path()), QByteArray());
        QVERIFY2(r.out.contains("smtp/mail!failure=4;message=no secret given for 'smtp/mail': input ended before a "
                                "line was read"),
                 r.out.constData());
    }

    void promptOnTerminalDoesNotEcho() {
        int master = -1;
        const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
        QVERIFY(pid >= 0);
        if (pid == 0) {
            const QByteArray child = kChild.toLocal8Bit();
            execl(child.constData(), child.constData(), "prompt", "profile/tty/password", static_cast<char *>(nullptr));
            _exit(127);
        }
        QByteArray seen;
        auto readSome = [&](int timeoutMs) {
            pollfd pfd{master, POLLIN, 0};
            if (poll(&pfd, 1, timeoutMs) <= 0)
                return false;
            char buf[512];
            const ssize_t n = ::read(master, buf, sizeof buf);
            if (n <= 0)
                return false; // EIO once the child is gone
            seen.append(buf, n);
            return true;
        };
        QElapsedTimer timer;
        timer.start();
        while (!seen.contains("input hidden") && timer.elapsed() < 10000)
            readSome(200);
        QVERIFY2(seen.contains("Lifeboat: secret for profile/tty/password (input hidden, not stored): "),
                 seen.constData());
        const QByteArray typed = "tty-secret-4711\n";
        QCOMPARE(::write(master, typed.constData(), size_t(typed.size())), ssize_t(typed.size()));
        while (timer.elapsed() < 10000 && readSome(1000)) {
        }
        int status = 0;
        waitpid(pid, &status, 0);
        ::close(master);
        QVERIFY2(seen.contains("profile/tty/password=" + hex("tty-secret-4711")), seen.constData());
        QVERIFY2(!seen.contains("tty-secret-4711"), seen.constData()); // never echoed
        QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }

    void interruptedPromptRestoresEcho() {
        int master = -1;
        const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
        QVERIFY(pid >= 0);
        if (pid == 0) {
            const QByteArray child = kChild.toLocal8Bit();
            execl(child.constData(), child.constData(), "prompt", "profile/tty/password", static_cast<char *>(nullptr));
            _exit(127);
        }
        QByteArray seen;
        QElapsedTimer timer;
        timer.start();
        while (!seen.contains("input hidden") && timer.elapsed() < 10000) {
            pollfd pfd{master, POLLIN, 0};
            char buf[512];
            if (poll(&pfd, 1, 200) > 0) {
                const ssize_t n = ::read(master, buf, sizeof buf);
                if (n > 0)
                    seen.append(buf, n);
            }
        }
        QVERIFY2(seen.contains("input hidden"), seen.constData());
        termios t{};
        QCOMPARE(tcgetattr(master, &t), 0); // on Linux the master reports the terminal's settings
        QVERIFY(!(t.c_lflag & ECHO));       // echo is off while the prompt waits
        ::kill(pid, SIGINT);                // the user presses Ctrl-C
        int status = 0;
        waitpid(pid, &status, 0);
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
        QCOMPARE(tcgetattr(master, &t), 0);
        QVERIFY(t.c_lflag & ECHO); // the terminal is usable again
        ::close(master);
    }

    void promptStoreFromDeviceAndMemoryOnlyWrite() {
        QBuffer input;
        input.setData("first\nsecond\n\n");
        PromptCredentialStore store(&input);
        QVERIFY(!store.isPersistent());
        QCOMPARE(store.read(QStringLiteral("a")).value_or(QString()), QStringLiteral("first"));
        QCOMPARE(store.read(QStringLiteral("a")).value_or(QString()), QStringLiteral("first")); // cached
        QCOMPARE(store.read(QStringLiteral("b")).value_or(QString()), QStringLiteral("second"));
        QVERIFY(!store.read(QStringLiteral("c")));
        QCOMPARE(store.failure(), CredentialStore::Failure::Declined);
        QCOMPARE(store.error().message, QStringLiteral("no secret given for 'c': the line was empty"));

        QVERIFY(store.write(QStringLiteral("c"), QStringLiteral("given")));
        QVERIFY2(store.notice().contains(QStringLiteral("kept in memory for this run only and was not saved")),
                 qPrintable(store.notice()));
        QCOMPARE(store.read(QStringLiteral("c")).value_or(QString()), QStringLiteral("given"));
        QVERIFY(store.remove(QStringLiteral("a")));
        QVERIFY(!store.read(QStringLiteral("a"))); // forgotten; input exhausted
        QCOMPARE(store.failure(), CredentialStore::Failure::Declined);
    }

    void envStore() {
        QProcessEnvironment env;
        env.insert(QStringLiteral("PGPW_PROD"), QStringLiteral("from-env"));
        env.insert(QStringLiteral("EMPTY_ONE"), QString());
        EnvCredentialStore store(QStringLiteral("PGPW_PROD"), env);
        QVERIFY(!store.isPersistent());
        QCOMPARE(store.read(QStringLiteral("profile/prod/password")).value_or(QString()), QStringLiteral("from-env"));
        QVERIFY(!store.error());

        store.bind(QStringLiteral("storage/s3/secret"), QStringLiteral("S3_SECRET"));
        QVERIFY(!store.read(QStringLiteral("storage/s3/secret")));
        QCOMPARE(store.failure(), CredentialStore::Failure::NotFound);
        QCOMPARE(store.error().message,
                 QStringLiteral("environment variable S3_SECRET (named by --secret-env) is not set"));
        store.bind(QStringLiteral("x"), QStringLiteral("EMPTY_ONE"));
        QVERIFY(!store.read(QStringLiteral("x")));
        QVERIFY(store.error().message.contains(QStringLiteral("EMPTY_ONE (named by --secret-env) is empty")));
        store.bind(QStringLiteral("y"), QStringLiteral("BAD-NAME"));
        QVERIFY(!store.read(QStringLiteral("y")));
        QVERIFY(store.error().message.contains(QStringLiteral("not a valid environment variable name")));

        QVERIFY(!store.write(QStringLiteral("profile/prod/password"), QStringLiteral("s")));
        QCOMPARE(store.failure(), CredentialStore::Failure::ReadOnly);
        QVERIFY(!store.remove(QStringLiteral("profile/prod/password")));
        QCOMPARE(store.failure(), CredentialStore::Failure::ReadOnly);

        EnvCredentialStore unnamed(QString(), env);
        QVERIFY(!unnamed.read(QStringLiteral("k")));
        QVERIFY(unnamed.error().message.contains(QStringLiteral("use --secret-env NAME")));
        QVERIFY(EnvCredentialStore::isValidName(QStringLiteral("_A1")));
        QVERIFY(!EnvCredentialStore::isValidName(QStringLiteral("1A")));
    }
};

QTEST_GUILESS_MAIN(TstSecrets)
#include "tst_secrets.moc"
