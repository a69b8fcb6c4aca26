#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSigning.h"
#include "CommandTable.h"

#include "core/Home.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTextStream>

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    CliJobRunner::surviveLostReader();
    QCoreApplication::setApplicationName(QStringLiteral("lifeboatctl"));
    QCoreApplication::setOrganizationName(QStringLiteral("Lifeboat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIFEBOAT_VERSION));

    // Global options may appear anywhere; everything else belongs to the command.
    QStringList args = app.arguments().mid(1);
    QString home;
    QString catalogUri;
    bool json = false;
    for (int i = 0; i < args.size();) {
        const QString a = args.at(i);
        if (a == QLatin1String("--json")) {
            json = true;
            args.removeAt(i);
        } else if (a == QLatin1String("--home") && i + 1 < args.size()) {
            home = args.at(i + 1);
            args.remove(i, 2);
        } else if (a.startsWith(QLatin1String("--home="))) {
            home = a.mid(7);
            args.removeAt(i);
        } else if (a == QLatin1String("--catalog") && i + 1 < args.size()) {
            catalogUri = args.at(i + 1);
            args.remove(i, 2);
        } else if (a.startsWith(QLatin1String("--catalog="))) {
            catalogUri = a.mid(10);
            args.removeAt(i);
        } else {
            ++i;
        }
    }
    QTextStream out(stdout);
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h") ||
        args.first() == QLatin1String("help")) {
        // `help --json`: the command table for tools (the docs test checks docs/cli.md against it).
        if (json && args.first() == QLatin1String("help")) {
            out << QJsonDocument(CommandTable::dump()).toJson();
            return 0;
        }
        out << CommandTable::usageText();
        return args.isEmpty() ? 3 : 0;
    }
    if (args.first() == QLatin1String("--version") || args.first() == QLatin1String("version")) {
        out << "lifeboatctl " << QCoreApplication::applicationVersion() << '\n';
        return 0;
    }

    CliContext ctx(lifeboat::Home::resolve(home), json);
    ctx.setCatalogUri(catalogUri);
    if (!CommandTable::group(args.first()))
        return ctx.usage(QStringLiteral("unknown command \"%1\" (see `lifeboatctl --help`)").arg(args.first()));
    if (!ctx.open())
        return CommandTable::fatalFetch(args) ? 255 : 3;
    CliSigning::prepare(ctx, args);
    return CommandTable::run(ctx, args);
}
