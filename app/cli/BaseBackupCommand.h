#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl basebackup PROFILE — a physical base backup of the profile's whole cluster (point-in-time recovery).
class BaseBackupCommand {
public:
    static QList<CliCommand> commands();
};
