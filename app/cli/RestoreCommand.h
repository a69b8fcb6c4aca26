#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl restore ID|FILE --target PROFILE|URI --target-db NAME …
class RestoreCommand {
public:
    static QList<CliCommand> commands();
};
