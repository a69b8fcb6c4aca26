#include "secrets/KeychainCredentialStore.h"
#include "secrets/KeychainProbe.h"

#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTest>
#include <QThread>
#include <QUuid>

using namespace lifeboat;

namespace {

// Asks the Secret Service directly with libsecret's own tool, so the test does not only trust the code under
// test: QtKeychain stores attributes user=<key>, server=<service>.
struct Lookup {
    int exitCode = -1;
    QByteArray value;
};
Lookup secretTool(const QString &key) {
    QProcess p;
    p.start(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("user"), key,
                                            QStringLiteral("server"), QStringLiteral("Lifeboat")});
    p.waitForFinished(30000);
    return {p.exitCode(), p.readAllStandardOutput()};
}

QString uniqueKey(const char *what) {
    return QStringLiteral("test/%1/%2").arg(QString::fromLatin1(what), QUuid::createUuid().toString(QUuid::Id128));
}

} // namespace

class TstKeychain : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        const KeychainStatus s = KeychainProbe::detect(10000);
        QVERIFY2(s.available(), qPrintable(QStringLiteral("this test needs an unlocked Secret Service (run it under "
                                                          "dbus-run-session with gnome-keyring-daemon --unlock): ") +
                                           s.message));
        qInfo("%s", qPrintable(s.message));
    }

    void storeReadUpdateDelete() {
        KeychainCredentialStore store;
        const QString key = uniqueKey("crud");
        const QString first = QStringLiteral("first secret with spaces and ümlauts ✓");
        QVERIFY2(store.write(key, first), qPrintable(store.error().message));
        QCOMPARE(store.read(key).value_or(QString()), first);
        QCOMPARE(secretTool(key).value, first.toUtf8());

        QVERIFY2(store.write(key, QStringLiteral("second")), qPrintable(store.error().message));
        QCOMPARE(store.read(key).value_or(QString()), QStringLiteral("second"));
        QCOMPARE(secretTool(key).value, QByteArray("second"));

        // A fresh store object (as in a new process) sees the same entry.
        KeychainCredentialStore other;
        QCOMPARE(other.read(key).value_or(QString()), QStringLiteral("second"));

        QVERIFY2(store.remove(key), qPrintable(store.error().message));
        QVERIFY(!store.read(key));
        QCOMPARE(store.failure(), CredentialStore::Failure::NotFound);
        QVERIFY(secretTool(key).value.isEmpty());
        QVERIFY(store.remove(key)); // already gone: still succeeds
    }

    void missingEntryIsNotFoundNotUnavailable() {
        KeychainCredentialStore store;
        const QString key = uniqueKey("missing");
        QVERIFY(!store.read(key));
        QCOMPARE(store.failure(), CredentialStore::Failure::NotFound);
        QCOMPARE(store.error().message,
                 QStringLiteral("no secret '%1' in the keychain (service \"Lifeboat\"); store it first").arg(key));
    }

    void serviceNameSeparatesEntries() {
        KeychainCredentialStore lifeboat;
        KeychainCredentialStore foreign(QStringLiteral("LifeboatTestOther"));
        const QString key = uniqueKey("service");
        QVERIFY(foreign.write(key, QStringLiteral("other-app")));
        QVERIFY(!lifeboat.read(key));
        QCOMPARE(lifeboat.failure(), CredentialStore::Failure::NotFound);
        QCOMPARE(foreign.read(key).value_or(QString()), QStringLiteral("other-app"));
        QVERIFY(foreign.remove(key));
    }

    void usableFromWorkerThreads() {
        // Callers are worker threads: several at once, each blocking on its own request.
        QList<QThread *> threads;
        QList<bool> ok(4, false);
        QStringList why(4);
        for (int i = 0; i < 4; ++i) {
            threads.append(QThread::create([i, &ok, &why] {
                KeychainCredentialStore store;
                const QString key = uniqueKey("thread");
                const QString value = QStringLiteral("value-%1").arg(i);
                ok[i] = store.write(key, value) && store.read(key) == std::optional<QString>(value) &&
                        store.remove(key) && !store.read(key);
                why[i] = store.error().message; // says which step failed and why, should it fail
            }));
            threads.last()->start();
        }
        for (QThread *t : threads) {
            QVERIFY(t->wait(60000));
            delete t;
        }
        for (int i = 0; i < 4; ++i)
            QVERIFY2(ok[i], qPrintable(QStringLiteral("thread %1: %2").arg(i).arg(why[i])));
    }

    void noPlaintextOnDisk() {
        KeychainCredentialStore store;
        const QString key = uniqueKey("plaintext");
        const QByteArray secret = "plaintext-canary-" + QUuid::createUuid().toByteArray(QUuid::Id128);
        QVERIFY(store.write(key, QString::fromLatin1(secret)));
        // QtKeychain's insecure fallback would write a QSettings file under ~/.config; the keyring files themselves
        // are encrypted. Search every small file under the usual places.
        const QString home = QDir::homePath();
        int scanned = 0;
        for (const QString &dir : {home + QStringLiteral("/.config"), home + QStringLiteral("/.local/share"),
                                   home + QStringLiteral("/.cache")}) {
            QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                if (f.size() > 4 * 1024 * 1024 || !f.open(QIODevice::ReadOnly))
                    continue;
                ++scanned;
                QVERIFY2(!f.readAll().contains(secret), qPrintable(f.fileName()));
            }
        }
        QVERIFY(store.remove(key));
        qInfo("scanned %d files", scanned);
    }
};

QTEST_GUILESS_MAIN(TstKeychain)
#include "tst_keychain.moc"
