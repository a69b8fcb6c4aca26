#pragma once

#include <QCommandLineParser>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

class CliContext;

// QCommandLineParser set up for one subcommand: `args` are the words after the command name. Reports unknown
// options and wrong positional counts as usage errors (exit 3).
class ArgParser {
public:
    ArgParser(QString command, QString synopsis);

    void option(const QString &name, const QString &help, const QString &valueName = {});
    void flag(const QString &name, const QString &help) { option(name, help); }
    // Parses. Returns an exit code when the command should stop here (usage error: 3, --help: 0), nullopt to go
    // on: `if (auto rc = p.parse(ctx, args, 1, 1)) return *rc;`. minPos/maxPos bound the positional arguments.
    std::optional<int> parse(CliContext &ctx, const QStringList &args, int minPos, int maxPos);

    bool isSet(const QString &name) const { return m_parser.isSet(name); }
    QString value(const QString &name) const { return m_parser.value(name); }
    QStringList values(const QString &name) const; // repeatable and comma-separated values, flattened
    QStringList positional() const { return m_parser.positionalArguments(); }
    QString helpText() const;
    // --as-of TIME (ISO 8601) into *now, else the current time; the usage error's exit code for a bad time.
    std::optional<int> asOf(CliContext &ctx, QDateTime *now) const;

private:
    QString m_command;
    QString m_synopsis;
    QCommandLineParser m_parser;
};
