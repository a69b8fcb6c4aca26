#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl schedule add|list|remove|install
class ScheduleCommand {
public:
    static QList<CliCommand> commands();

private:
    static int add(CliContext &ctx, const ArgParser &p);
    static int list(CliContext &ctx, const ArgParser &p);
    static int remove(CliContext &ctx, const ArgParser &p);
    static int install(CliContext &ctx, const ArgParser &p);
    // --launchd / --schtasks: the macOS and Windows runners, written as files (checked by content on any OS).
    static int installOtherOs(CliContext &ctx, bool launchd, const QStringList &cmd, const QString &logFile,
                              bool printOnly, const QString &outDir);
};
