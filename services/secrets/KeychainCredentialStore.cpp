#include "secrets/KeychainCredentialStore.h"

#include <QCoreApplication>
#include <QThread>

#include <qt6keychain/keychain.h>

#include <chrono>
#include <future>
#include <memory>

namespace lifeboat {

namespace {

struct JobResult {
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QString text;
};

// The one thread on which all QtKeychain jobs of the process run (see the header). Started on first use and
// stopped by a QCoreApplication post routine, so no QThread outlives the application.
class KeychainThread {
public:
    static KeychainThread &instance() {
        static KeychainThread *self = new KeychainThread; // stopped by stop(), intentionally never destroyed
        return *self;
    }

    QObject *context() const { return m_context; }

private:
    KeychainThread() {
        m_thread = new QThread;
        m_thread->setObjectName(QStringLiteral("lifeboat-keychain"));
        m_context = new QObject;
        m_context->moveToThread(m_thread);
        QObject::connect(m_thread, &QThread::finished, m_context, &QObject::deleteLater);
        m_thread->start();
        qAddPostRoutine(&KeychainThread::stop);
    }

    static void stop() {
        QThread *t = instance().m_thread;
        t->quit();
        t->wait(5000);
    }

    QThread *m_thread = nullptr;
    QObject *m_context = nullptr;
};

bool onGuiThread() {
    const QCoreApplication *app = QCoreApplication::instance();
    return app && QThread::currentThread() == app->thread() && app->inherits("QGuiApplication");
}

} // namespace

KeychainCredentialStore::KeychainCredentialStore(const QString &service, int timeoutMs)
    : m_service(service)
    , m_timeoutMs(timeoutMs) {}

QString KeychainCredentialStore::backendName() const {
    return QStringLiteral("keychain (Secret Service, service \"%1\")").arg(m_service);
}

bool KeychainCredentialStore::usable() {
    if (!QCoreApplication::instance()) {
        setError(ExitCode::Usage, QStringLiteral("the keychain needs a QCoreApplication"), Failure::Failed);
        return false;
    }
    if (onGuiThread()) {
        setError(ExitCode::Usage,
                 QStringLiteral("internal error: keychain access blocks and must not run on the GUI thread"),
                 Failure::Failed);
        return false;
    }
    if (m_probedOk)
        return true;
    const KeychainStatus status = KeychainProbe::detect(std::min(m_timeoutMs, 5000));
    if (!status.available()) {
        setError(ExitCode::Usage, status.message,
                 status.state == KeychainStatus::State::Locked ? Failure::Locked : Failure::Unavailable);
        return false;
    }
    m_probedOk = true;
    return true;
}

KeychainCredentialStore::Outcome KeychainCredentialStore::run(Op op, const QString &key, const QString &secret) {
    auto promise = std::make_shared<std::promise<JobResult>>();
    std::future<JobResult> future = promise->get_future();
    const QString service = m_service;
    QMetaObject::invokeMethod(
        KeychainThread::instance().context(),
        [promise, op, key, secret, service] {
            QKeychain::Job *job = nullptr;
            switch (op) {
            case Op::Read:
                job = new QKeychain::ReadPasswordJob(service);
                break;
            case Op::Write: {
                auto *w = new QKeychain::WritePasswordJob(service);
                w->setTextData(secret);
                job = w;
                break;
            }
            case Op::Remove:
                job = new QKeychain::DeletePasswordJob(service);
                break;
            }
            job->setKey(key);
            job->setInsecureFallback(false); // never a plaintext QSettings file
            job->setAutoDelete(true);        // also when the caller has stopped waiting
            QObject::connect(job, &QKeychain::Job::finished, job, [promise](QKeychain::Job *j) {
                JobResult r;
                r.error = j->error();
                r.errorString = j->errorString();
                if (auto *rj = qobject_cast<QKeychain::ReadPasswordJob *>(j); rj && r.error == QKeychain::NoError)
                    r.text = rj->textData();
                promise->set_value(r);
            });
            job->start();
        },
        Qt::QueuedConnection);

    if (future.wait_for(std::chrono::milliseconds(m_timeoutMs)) != std::future_status::ready) {
        setError(ExitCode::Usage,
                 QStringLiteral("the keychain did not answer within %1 s for '%2' (is it waiting for an unlock "
                                "prompt?)")
                     .arg(m_timeoutMs / 1000)
                     .arg(key),
                 Failure::Unavailable);
        return {};
    }
    const JobResult r = future.get();
    switch (r.error) {
    case QKeychain::NoError:
        clearError();
        return {true, r.text};
    case QKeychain::EntryNotFound:
        if (op == Op::Remove) {
            clearError();
            return {true, {}};
        }
        setError(ExitCode::Usage,
                 QStringLiteral("no secret '%1' in the keychain (service \"%2\"); store it first").arg(key, m_service),
                 Failure::NotFound);
        return {};
    default:
        break;
    }
    // Something went wrong under way: find out whether the keychain itself went away or got locked.
    m_probedOk = false;
    const KeychainStatus status = KeychainProbe::detect(std::min(m_timeoutMs, 5000), true);
    if (!status.available()) {
        setError(ExitCode::Usage, status.message,
                 status.state == KeychainStatus::State::Locked ? Failure::Locked : Failure::Unavailable);
        return {};
    }
    const QString verb = op == Op::Read    ? QStringLiteral("read")
                         : op == Op::Write ? QStringLiteral("store")
                                           : QStringLiteral("delete");
    if (r.error == QKeychain::AccessDenied) {
        setError(ExitCode::Usage, QStringLiteral("the keychain refused to %1 '%2': %3").arg(verb, key, r.errorString),
                 Failure::Locked);
    } else if (r.error == QKeychain::NoBackendAvailable) {
        setError(ExitCode::Usage, QStringLiteral("no keychain backend to %1 '%2': %3").arg(verb, key, r.errorString),
                 Failure::Unavailable);
    } else {
        setError(ExitCode::Usage, QStringLiteral("keychain error, could not %1 '%2': %3").arg(verb, key, r.errorString),
                 Failure::Failed);
    }
    return {};
}

std::optional<QString> KeychainCredentialStore::read(const QString &key) {
    if (!usable())
        return std::nullopt;
    const Outcome o = run(Op::Read, key, {});
    if (!o.ok)
        return std::nullopt;
    return o.text;
}

bool KeychainCredentialStore::write(const QString &key, const QString &secret) {
    return usable() && run(Op::Write, key, secret).ok;
}

bool KeychainCredentialStore::remove(const QString &key) {
    return usable() && run(Op::Remove, key, {}).ok;
}

} // namespace lifeboat
