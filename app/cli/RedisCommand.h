#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl redis add|list|remove|backup — Redis sources, backed up as RDB snapshots.
class RedisCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);

private:
    static int add(CliContext &ctx, const QStringList &args);
    static int list(CliContext &ctx, const QStringList &args);
    static int remove(CliContext &ctx, const QStringList &args);
    static int backup(CliContext &ctx, const QStringList &args);
};
