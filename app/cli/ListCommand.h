#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl list [filters] | show ID
class ListCommand {
public:
    static QList<CliCommand> commands();

private:
    static int list(CliContext &ctx, const ArgParser &p);
    static int show(CliContext &ctx, const ArgParser &p);
};
