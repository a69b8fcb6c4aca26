// Test helper for tst_secrets: runs one credential-store operation in a process whose environment and stdin the
// test controls, and prints the outcome. Secret values are printed hex-encoded, so a test reading the terminal can
// tell an echoed secret from the reported one.
#include "secrets/KeychainCredentialStore.h"
#include "secrets/KeychainProbe.h"
#include "secrets/PromptCredentialStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

using namespace lifeboat;

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    QTextStream out(stdout);
    if (args.isEmpty())
        return 64;
    const QString mode = args.first();
    if (mode == QLatin1String("probe")) {
        QElapsedTimer timer;
        timer.start();
        const KeychainStatus s = KeychainProbe::detect(3000);
        out << "available=" << (s.available() ? 1 : 0) << "\nstate=" << int(s.state) << "\nmessage=" << s.message
            << "\nms=" << timer.elapsed() << "\n";
        return s.available() ? 0 : 2;
    }
    if (mode == QLatin1String("keychain-read") && args.size() == 2) {
        KeychainCredentialStore store;
        const auto v = store.read(args[1]);
        if (v)
            out << "value=" << v->toUtf8().toHex() << "\n";
        else
            out << "failure=" << int(store.failure()) << "\nmessage=" << store.error().message << "\n";
        return v ? 0 : 2;
    }
    if (mode == QLatin1String("prompt")) {
        PromptCredentialStore store;
        for (const QString &key : args.mid(1)) {
            const auto v = store.read(key);
            if (v)
                out << key << "=" << v->toUtf8().toHex() << "\n";
            else
                out << key << "!failure=" << int(store.failure()) << ";message=" << store.error().message << "\n";
            out.flush();
        }
        // Asked once per process: a second read comes from memory and consumes no input.
        if (args.size() > 1) {
            const auto again = store.read(args[1]);
            out << "again=" << (again ? again->toUtf8().toHex() : QByteArray("none")) << "\n";
        }
        return 0;
    }
    return 64;
}
