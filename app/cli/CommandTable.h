#pragma once

#include "CliCommand.h"

#include <QJsonArray>
#include <QStringList>

// Every lifeboatctl command, in the order `lifeboatctl --help` lists them. A group is a top-level word; it has
// subcommands (`profile add`) or is a command itself (`backup`). Dispatch, the top-level help, each command's
// `--help`, argument checking and the dump the docs test reads all come from here.
class CommandTable {
public:
    struct Group {
        QString name;
        QString args;            // top-level help: what follows the name and the subcommands ("PROFILE", "STORAGE ...")
        QString summary;         // top-level help: one line (wrapped at the column as needed)
        QString usage;           // the usage error for a missing or unknown subcommand
        QString defaultSub = {}; // run when no subcommand (or an option) follows the group
        QList<CliCommand> commands = {};
    };

    static const QList<Group> &groups();
    static QString usageText(); // `lifeboatctl --help`
    static QJsonArray dump();   // `lifeboatctl help --json`: every command, synopsis and option
    // Runs the command `args` (the words after the global options) names; ctx is open.
    static int run(CliContext &ctx, const QStringList &args);
    static const Group *group(const QString &name);
    // `wal fetch --fatal-errors`: PostgreSQL's restore_command reads any exit but 255 as "not archived" and would
    // end recovery early, so every failure before the handler runs exits 255.
    static bool fatalFetch(const QStringList &args);
};
