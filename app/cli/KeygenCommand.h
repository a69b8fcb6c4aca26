#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl keygen [--out FILE]: a new age identity, in the file format age-keygen writes.
class KeygenCommand {
public:
    static QList<CliCommand> commands();
};
