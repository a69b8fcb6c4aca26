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
    // --home DIR, --home=DIR (likewise --catalog): true when args[i] was the option, now taken out of args.
    const auto take = [&args](qsizetype i, const QString &name, QString *value) {
        if (args.at(i) == name && i + 1 < args.size()) {
            *value = args.at(i + 1);
            args.remove(i, 2);
        } else if (args.at(i).startsWith(name + QLatin1Char('='))) {
            *value = args.at(i).mid(name.size() + 1);
            args.removeAt(i);
        } else {
            return false;
        }
        return true;
    };
    for (qsizetype i = 0; i < args.size();) {
        if (args.at(i) == QLatin1String("--json")) {
            json = true;
            args.removeAt(i);
        } else if (!take(i, QStringLiteral("--home"), &home) && !take(i, QStringLiteral("--catalog"), &catalogUri)) {
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
