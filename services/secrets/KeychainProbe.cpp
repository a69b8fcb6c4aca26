#include "secrets/KeychainProbe.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusReply>
#include <QDBusVariant>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <QUuid>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <vector>

namespace lifeboat {

namespace {

const QString kService = QStringLiteral("org.freedesktop.secrets");
const QString kPath = QStringLiteral("/org/freedesktop/secrets");
const QString kHint = QStringLiteral("secrets will have to be given each time (prompt, stdin or --secret-env NAME)");

KeychainStatus make(KeychainStatus::State state, const QString &message) {
    KeychainStatus s;
    s.state = state;
    s.message = message;
    return s;
}

QString processName(const QDBusConnection &bus, const QString &service) {
    const QDBusReply<uint> pid = bus.interface()->servicePid(service);
    if (!pid.isValid())
        return {};
    // argv[0] rather than /proc/PID/comm, which the kernel truncates to 15 characters.
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid.value()));
    if (!cmdline.open(QIODevice::ReadOnly))
        return {};
    const QByteArray argv0 = cmdline.readAll().split('\0').value(0);
    return QFileInfo(QString::fromLocal8Bit(argv0)).fileName();
}

KeychainStatus probe(int timeoutMs) {
    using State = KeychainStatus::State;
    // libdbus would otherwise try to autolaunch a bus through X11; with no address at all there is nothing to ask.
    const QByteArray address = qgetenv("DBUS_SESSION_BUS_ADDRESS");
    const QString runtimeBus = QDir(QString::fromLocal8Bit(qgetenv("XDG_RUNTIME_DIR"))).filePath(QStringLiteral("bus"));
    if (address.isEmpty() && (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR") || !QFileInfo::exists(runtimeBus)))
        return make(
            State::NoSessionBus,
            QStringLiteral("no keychain: there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so "
                           "no Secret Service can be reached; ") +
                kHint);

    const QString name = QStringLiteral("lifeboat-keychain-probe-") + QUuid::createUuid().toString(QUuid::Id128);
    KeychainStatus result;
    {
        QDBusConnection bus = QDBusConnection::connectToBus(QDBusConnection::SessionBus, name);
        if (!bus.isConnected()) {
            result = make(State::NoSessionBus, QStringLiteral("no keychain: cannot connect to the D-Bus session bus "
                                                              "(%1); ")
                                                       .arg(bus.lastError().message()) +
                                                   kHint);
        } else {
            result = [&]() -> KeychainStatus {
                const bool registered = bus.interface()->isServiceRegistered(kService);
                if (!registered) {
                    const QDBusReply<QStringList> activatable =
                        bus.call(QDBusMessage::createMethodCall(
                                     QStringLiteral("org.freedesktop.DBus"), QStringLiteral("/org/freedesktop/DBus"),
                                     QStringLiteral("org.freedesktop.DBus"), QStringLiteral("ListActivatableNames")),
                                 QDBus::Block, timeoutMs);
                    if (!activatable.isValid() || !activatable.value().contains(kService))
                        return make(State::NoSecretService,
                                    QStringLiteral("no keychain: nothing provides the Secret Service "
                                                   "(org.freedesktop.secrets) on the D-Bus session bus; start "
                                                   "gnome-keyring-daemon or KeePassXC's Secret Service, or ") +
                                        kHint);
                }
                // Activates the service if needed; answers the object path of the default keyring or "/".
                QDBusMessage readAlias = QDBusMessage::createMethodCall(
                    kService, kPath, QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("ReadAlias"));
                readAlias << QStringLiteral("default");
                const QDBusReply<QDBusObjectPath> alias = bus.call(readAlias, QDBus::Block, timeoutMs);
                if (!alias.isValid()) {
                    const bool timeout =
                        alias.error().type() == QDBusError::NoReply || alias.error().type() == QDBusError::Timeout;
                    return make(timeout ? State::NotResponding : State::NoSecretService,
                                QStringLiteral("no keychain: the Secret Service did not answer (%1); ")
                                        .arg(alias.error().message()) +
                                    kHint);
                }
                const QString collection = alias.value().path();
                if (collection.isEmpty() || collection == QLatin1String("/"))
                    return make(State::NoDefaultCollection,
                                QStringLiteral("keychain not usable: the Secret Service has no default keyring; create "
                                               "one (log in to the desktop once, or run `gnome-keyring-daemon "
                                               "--unlock` in this session), or ") +
                                    kHint);
                QDBusMessage get = QDBusMessage::createMethodCall(
                    kService, collection, QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
                get << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
                const QDBusReply<QDBusVariant> locked = bus.call(get, QDBus::Block, timeoutMs);
                if (!locked.isValid())
                    return make(State::NotResponding, QStringLiteral("no keychain: cannot ask whether the default "
                                                                     "keyring is locked (%1); ")
                                                              .arg(locked.error().message()) +
                                                          kHint);
                if (locked.value().variant().toBool())
                    return make(State::Locked, QStringLiteral("keychain locked: the default keyring is locked; unlock "
                                                              "it (desktop login, or `gnome-keyring-daemon --unlock` "
                                                              "in this session), or ") +
                                                   kHint);
                return make(State::Available, QStringLiteral("keychain available"));
            }();
            result.provider = processName(bus, kService);
            if (result.available() && !result.provider.isEmpty())
                result.message = QStringLiteral("keychain available (Secret Service by %1)").arg(result.provider);
        }
    }
    QDBusConnection::disconnectFromBus(name);
    return result;
}

// Probe threads are QThreads the process keeps track of, not detached std::threads: a detached thread still inside
// QtDBus (or tearing down its adopted-thread data) while main() returns races the global destructors of Qt and
// libdbus, a heap corruption that showed up once in CI as "double free or corruption" at the end of a
// `lifeboatctl set backup`. Finished threads are reaped at the next probe; the application's post routine waits
// for the rest (bounded: each D-Bus call inside is bounded by its own timeout).
class ProbeThreads {
public:
    static ProbeThreads &instance() {
        static ProbeThreads *self = new ProbeThreads; // intentionally never destroyed: used from the post routine
        return *self;
    }

    void start(std::function<void()> work) {
        QThread *t = QThread::create(std::move(work));
        t->setObjectName(QStringLiteral("lifeboat-keychain-probe"));
        std::lock_guard lock(m_mutex);
        reapFinishedLocked();
        if (!m_hooked && QCoreApplication::instance()) {
            qAddPostRoutine(&ProbeThreads::joinAll);
            m_hooked = true;
        }
        m_threads.push_back(t);
        t->start();
    }

private:
    void reapFinishedLocked() {
        for (auto it = m_threads.begin(); it != m_threads.end();) {
            if ((*it)->isFinished()) {
                (*it)->wait();
                delete *it;
                it = m_threads.erase(it);
            } else {
                ++it;
            }
        }
    }

    static void joinAll() {
        ProbeThreads &self = instance();
        std::lock_guard lock(self.m_mutex);
        // libdbus's own default timeout is 25 s; a probe that is still stuck after that is left running (the
        // process may then exit under it, as before), everything else is joined.
        QDeadlineTimer deadline(30000);
        for (auto it = self.m_threads.begin(); it != self.m_threads.end();) {
            if ((*it)->wait(deadline)) {
                delete *it;
                it = self.m_threads.erase(it);
            } else {
                ++it;
            }
        }
        self.m_hooked = false;
    }

    std::mutex m_mutex;
    std::vector<QThread *> m_threads;
    bool m_hooked = false;
};

} // namespace

namespace {
// The last answer, shared by the whole process: a CLI run asks once per secret it reads, and each probe opens and
// closes a private QtDBus connection. Many such connections opened and closed in quick succession while jobs run
// is the pattern the intermittent heap corruption in `set backup` under a real Secret Service came with (CI), so a
// recent answer is reused.
struct ProbeCache {
    std::mutex mutex;
    KeychainStatus status;
    QDeadlineTimer validUntil{QDeadlineTimer::Forever};
    bool valid = false;
};
ProbeCache &probeCache() {
    static ProbeCache *cache = new ProbeCache; // used from the post routine's era too: never destroyed
    return *cache;
}
} // namespace

KeychainStatus KeychainProbe::detect(int timeoutMs, bool fresh) {
    constexpr int kReuseMs = 10000;
    if (!fresh) {
        ProbeCache &c = probeCache();
        std::lock_guard lock(c.mutex);
        if (c.valid && !c.validUntil.hasExpired())
            return c.status;
    }
    const KeychainStatus status = detectNow(timeoutMs);
    ProbeCache &c = probeCache();
    std::lock_guard lock(c.mutex);
    // "Did not answer in time" is not remembered: the next caller asks again.
    c.valid = status.state != KeychainStatus::State::NotResponding;
    c.status = status;
    c.validUntil = QDeadlineTimer(kReuseMs);
    return status;
}

KeychainStatus KeychainProbe::detectNow(int timeoutMs) {
    // The probe thread owns its result; if we give up waiting it finishes (bounded by the D-Bus call timeouts) and
    // drops the answer.
    auto promise = std::make_shared<std::promise<KeychainStatus>>();
    std::future<KeychainStatus> answer = promise->get_future();
    ProbeThreads::instance().start([promise, timeoutMs] { promise->set_value(probe(timeoutMs)); });
    if (answer.wait_for(std::chrono::milliseconds(timeoutMs)) != std::future_status::ready)
        return make(KeychainStatus::State::NotResponding,
                    QStringLiteral("no keychain: the D-Bus session bus or the Secret Service did not answer within "
                                   "%1 ms; ")
                            .arg(timeoutMs) +
                        kHint);
    return answer.get();
}

} // namespace lifeboat
