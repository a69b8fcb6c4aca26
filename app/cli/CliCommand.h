#pragma once

#include <QList>
#include <QString>

class ArgParser;
class CliContext;

// One option of a lifeboatctl command: --NAME, or --NAME VALUE when valueName is set.
struct CliOption {
    QString name;
    QString help;
    QString valueName = {};
};
using CliOptions = QList<CliOption>;

// Options written as a table, one an entry: "--NAME [VALUE]  help" (two spaces before the help); a line that
// starts with spaces continues the help above it (joined with one space). Reads as `--help` shows them.
CliOptions cliOptions(const char *table);

// One lifeboatctl command as the command table declares it (CommandTable): what `--help`, argument checking and
// the machine-readable dump (`lifeboatctl help --json`, which the docs test reads) are made from. The handler
// gets the parsed arguments: it reads them, calls the use case and prints.
struct CliCommand {
    using Handler = int (*)(CliContext &ctx, const ArgParser &p);

    QString group;    // "profile", "backup"
    QString sub;      // "add"; empty for a command without subcommands
    QString synopsis; // what follows `lifeboatctl GROUP [SUB] ` in its usage line
    int minPos = 0;   // bounds of the positional arguments (maxPos -1: unbounded)
    int maxPos = 0;
    Handler handler = nullptr;
    CliOptions options = {};

    QString name() const { return sub.isEmpty() ? group : group + QLatin1Char(' ') + sub; }
};
