#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl recover PROFILE --to TIME|latest … — point-in-time recovery into a new data directory.
class RecoverCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);
};
