#include "core/Home.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/MessageBox.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <memory>

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Lifeboat"));
    QApplication::setOrganizationName(QStringLiteral("Lifeboat"));
    QApplication::setApplicationVersion(QStringLiteral(LIFEBOAT_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("lifeboat"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Lifeboat: PostgreSQL backup and disaster recovery"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption homeOpt(QStringLiteral("home"), QStringLiteral("Lifeboat home (settings and catalog)."),
                               QStringLiteral("DIR"));
    parser.addOption(homeOpt);
    // For installers and CI: start the whole GUI (with a throwaway home unless --home is given), show the main
    // window once and quit, so a package is proven to start from its installed files.
    QCommandLineOption selfTestOpt(
        QStringLiteral("self-test"),
        QStringLiteral("Start, show the main window once, quit (0 = the installation works)."));
    parser.addOption(selfTestOpt);
    parser.process(app);
    const bool selfTest = parser.isSet(selfTestOpt);
    std::unique_ptr<QTemporaryDir> selfTestHome;
    QString homeArg = parser.value(homeOpt);
    if (selfTest && homeArg.isEmpty()) {
        selfTestHome = std::make_unique<QTemporaryDir>();
        homeArg = selfTestHome->path();
    }

    lifeboat::AppContext ctx(lifeboat::Home::resolve(homeArg));
    QString error;
    if (!ctx.open(&error)) {
        if (selfTest) {
            std::fprintf(stderr, "lifeboat self-test: cannot start: %s\n", qPrintable(error));
            return 3;
        }
        // The box is the only window; closing it ends the event loop and the process.
        lifeboat::MessageBox::critical(nullptr, QStringLiteral("Lifeboat"),
                                       QApplication::translate("main", "Lifeboat cannot start: %1").arg(error));
        app.exec();
        return 3;
    }
    ctx.probeKeychain();
    lifeboat::MainWindow window(&ctx);
    window.show();
    if (selfTest) {
        QTimer::singleShot(0, &app, [&window] {
            const bool shown = window.isVisible();
            std::printf("lifeboat %s self-test %s: main window %s on the %s platform\n", LIFEBOAT_VERSION,
                        shown ? "ok" : "FAILED", shown ? "shown" : "not shown",
                        qPrintable(QGuiApplication::platformName()));
            QCoreApplication::exit(shown ? 0 : 1);
        });
    }
    return app.exec();
}
