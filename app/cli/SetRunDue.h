#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl set run-due [--as-of TIME] [--set NAME] [--no-prune]: captures every set whose cron schedule is due,
// then applies set retention to it. A set's fire times count from its newest capture (manual ones included), or
// from when it was added; missed fire times collapse into one run (catch-up). Call it every minute beside run-due.
class SetRunDue {
public:
    static CliCommand command();

private:
    static int run(CliContext &ctx, const ArgParser &p);
};
