#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl download ID --to DIR | delete ID [--force]
class TransferCommand {
public:
    static QList<CliCommand> commands();
};
