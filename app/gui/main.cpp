#include "core/Home.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/widgets/ElidedToolTips.h"
#include "ui/widgets/MessageBox.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {
struct Options {
    QCommandLineOption home{QStringLiteral("home"), QStringLiteral("Lifeboat home (settings and catalog)."),
                            QStringLiteral("DIR")};
    // For installers and CI: start the whole GUI (with a throwaway home unless --home is given), show the main
    // window once and quit, so a package is proven to start from its installed files.
    QCommandLineOption selfTest{QStringLiteral("self-test"),
                                QStringLiteral("Start, show the main window once, quit (0 = the installation works).")};

    void addTo(QCommandLineParser &parser) {
        parser.setApplicationDescription(QStringLiteral("Lifeboat: PostgreSQL backup and disaster recovery"));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOption(home);
        parser.addOption(selfTest);
    }
};

void setNames() {
    QCoreApplication::setApplicationName(QStringLiteral("Lifeboat"));
    QCoreApplication::setOrganizationName(QStringLiteral("Lifeboat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIFEBOAT_VERSION));
}

bool asksForTextOnly(int argc, char **argv) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "-h" || a == "--help" || a == "-?" || a == "--help-all" || a == "-v" || a == "--version")
            return true;
    }
    return false;
}

// On X11/Wayland desktops, QApplication aborts without a display ("could not connect to display", SIGABRT);
// say what is missing and where the headless tool is instead.
bool hasNoDisplay() {
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    return qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
           qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
#else
    return false;
#endif
}
} // namespace

int main(int argc, char **argv) {
    if (asksForTextOnly(argc, argv)) {
        // --help and --version print text: no display needed, so no QApplication.
        QCoreApplication core(argc, argv);
        setNames();
        QCommandLineParser parser;
        Options opts;
        opts.addTo(parser);
        parser.process(core); // prints and exits
        return 0;
    }
    if (hasNoDisplay()) {
        std::fprintf(stderr, "lifeboat: no display (neither DISPLAY nor WAYLAND_DISPLAY is set). Start it from a "
                             "desktop session, or use lifeboatctl for headless work (lifeboatctl --help).\n");
        return 2;
    }
    QApplication app(argc, argv);
    setNames();
    app.installEventFilter(new lifeboat::ElidedToolTips(&app));
    QApplication::setDesktopFileName(QStringLiteral("lifeboat"));

    QCommandLineParser parser;
    Options opts;
    opts.addTo(parser);
    parser.process(app);
    const QCommandLineOption &homeOpt = opts.home;
    const QCommandLineOption &selfTestOpt = opts.selfTest;
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
