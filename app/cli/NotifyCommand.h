#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl notify add|list|remove|test
class NotifyCommand {
public:
    static QList<CliCommand> commands();

private:
    static int add(CliContext &ctx, const ArgParser &p);
    static int list(CliContext &ctx, const ArgParser &p);
    static int remove(CliContext &ctx, const ArgParser &p);
    static int test(CliContext &ctx, const ArgParser &p);
};
