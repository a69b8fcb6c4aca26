#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl schedule add|list|remove|install
class ScheduleCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);

private:
    static int add(CliContext &ctx, const QStringList &args);
    static int list(CliContext &ctx, const QStringList &args);
    static int remove(CliContext &ctx, const QStringList &args);
    static int install(CliContext &ctx, const QStringList &args);
    // --launchd / --schtasks: the macOS and Windows runners, written as files (checked by content on any OS).
    static int installOtherOs(CliContext &ctx, bool launchd, const QStringList &cmd, const QString &logFile,
                              bool printOnly, const QString &outDir);
};
