#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl wal push|fetch|status|receive: continuous WAL archiving into a profile's archive storages (issue 17).
class WalCommand {
public:
    static QList<CliCommand> commands();
};
