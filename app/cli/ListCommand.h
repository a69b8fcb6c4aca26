#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl list [filters] | show ID
class ListCommand {
public:
    static QList<CliCommand> commands();
};
