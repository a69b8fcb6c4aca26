#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl check: one line per source for monitoring systems, Nagios exit status, Prometheus textfile.
class CheckCommand {
public:
    static QList<CliCommand> commands();
};
