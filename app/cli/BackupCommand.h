#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl backup PROFILE …
class BackupCommand {
public:
    static QList<CliCommand> commands();
};
