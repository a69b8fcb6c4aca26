#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl run-due [--as-of TIME] [--schedule NAME]: runs every enabled schedule that is due, one at a time,
// each under its lock, then applies retention to that profile. Safe to call every minute from several machines.
class RunDueCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);
};
