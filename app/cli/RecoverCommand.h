#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl recover PROFILE --to TIME|latest … — point-in-time recovery into a new data directory.
class RecoverCommand {
public:
    static QList<CliCommand> commands();
};
