#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl profile add|list|test|remove
class ProfileCommand {
public:
    static QList<CliCommand> commands();
};
