#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl schedule add|list|remove|install
class ScheduleCommand {
public:
    static QList<CliCommand> commands();

    // --launchd / --schtasks: the macOS and Windows runners, written as files (checked by content on any OS).
    static int installOtherOs(CliContext &ctx, bool launchd, const QStringList &cmd, const QString &logFile,
                              bool printOnly, const QString &outDir);
};
