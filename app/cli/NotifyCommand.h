#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl notify add|list|remove|test
class NotifyCommand {
public:
    static QList<CliCommand> commands();
};
