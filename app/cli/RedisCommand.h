#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl redis add|list|remove|backup — Redis sources, backed up as RDB snapshots.
class RedisCommand {
public:
    static QList<CliCommand> commands();

private:
    static int add(CliContext &ctx, const ArgParser &p);
    static int list(CliContext &ctx, const ArgParser &p);
    static int remove(CliContext &ctx, const ArgParser &p);
    static int backup(CliContext &ctx, const ArgParser &p);
};
