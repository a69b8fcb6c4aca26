#include "core/Home.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/MessageBox.h"

#include <QApplication>
#include <QCommandLineParser>

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
    parser.process(app);

    lifeboat::AppContext ctx(lifeboat::Home::resolve(parser.value(homeOpt)));
    QString error;
    if (!ctx.open(&error)) {
        // The box is the only window; closing it ends the event loop and the process.
        lifeboat::MessageBox::critical(nullptr, QStringLiteral("Lifeboat"),
                                       QApplication::translate("main", "Lifeboat cannot start: %1").arg(error));
        app.exec();
        return 3;
    }
    ctx.probeKeychain();
    lifeboat::MainWindow window(&ctx);
    window.show();
    return app.exec();
}
