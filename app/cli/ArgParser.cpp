#include "ArgParser.h"

#include "CliAutomation.h"
#include "CliContext.h"

ArgParser::ArgParser(QString command, QString synopsis)
    : m_command(std::move(command))
    , m_synopsis(std::move(synopsis)) {
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.addOption(QCommandLineOption(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                          QStringLiteral("Show this help.")));
}

void ArgParser::option(const QString &name, const QString &help, const QString &valueName) {
    m_parser.addOption(QCommandLineOption(name, help, valueName));
}

QStringList ArgParser::values(const QString &name) const {
    QStringList out;
    for (const QString &v : m_parser.values(name))
        for (const QString &part : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
            out << part.trimmed();
    return out;
}

QString ArgParser::helpText() const {
    QString text = m_parser.helpText();
    // QCommandLineParser's first line names the binary only; put the subcommand synopsis there.
    const int nl = text.indexOf(QLatin1Char('\n'));
    return QStringLiteral("Usage: lifeboatctl %1 %2").arg(m_command, m_synopsis) + (nl >= 0 ? text.mid(nl) : QString());
}

std::optional<int> ArgParser::parse(CliContext &ctx, const QStringList &args, int minPos, int maxPos) {
    QStringList full{QStringLiteral("lifeboatctl")};
    full += args;
    if (!m_parser.parse(full)) {
        return ctx.usage(QStringLiteral("%1: %2 (see `lifeboatctl %1 --help`)").arg(m_command, m_parser.errorText()));
    }
    if (m_parser.isSet(QStringLiteral("help"))) {
        ctx.out() << helpText();
        ctx.out().flush();
        return 0;
    }
    const auto n = m_parser.positionalArguments().size();
    if (n < minPos || (maxPos >= 0 && n > maxPos)) {
        return ctx.usage(QStringLiteral("usage: lifeboatctl %1 %2").arg(m_command, m_synopsis));
    }
    return std::nullopt;
}

std::optional<int> ArgParser::asOf(CliContext &ctx, QDateTime *now) const {
    *now = QDateTime::currentDateTimeUtc();
    if (!isSet(QStringLiteral("as-of")))
        return std::nullopt;
    *now = CliAutomation::parseTime(value(QStringLiteral("as-of")));
    if (!now->isValid())
        return ctx.usage(QStringLiteral("--as-of: \"%1\" is not an ISO 8601 time (e.g. 2026-03-29T01:00:00Z)")
                             .arg(value(QStringLiteral("as-of"))));
    return std::nullopt;
}
