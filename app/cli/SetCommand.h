#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl set add|list|remove|backup|restore|prune: application backup sets (a database profile with its
// directories, bucket mirrors and Redis sources) captured under one set id, restored and retained as a whole.
class SetCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);

private:
    static int add(CliContext &ctx, const QStringList &args);
    static int list(CliContext &ctx, const QStringList &args);
    static int remove(CliContext &ctx, const QStringList &args);
    static int backup(CliContext &ctx, const QStringList &args);
    static int restore(CliContext &ctx, const QStringList &args);
    static int prune(CliContext &ctx, const QStringList &args);
};
