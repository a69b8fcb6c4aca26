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
};
