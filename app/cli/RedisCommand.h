#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl redis add|list|remove|backup — Redis sources, backed up as RDB snapshots.
class RedisCommand {
public:
    static QList<CliCommand> commands();
};
