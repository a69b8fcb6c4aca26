#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl notify add|list|remove|test
class NotifyCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);

private:
    static int add(CliContext &ctx, const QStringList &args);
    static int list(CliContext &ctx, const QStringList &args);
    static int remove(CliContext &ctx, const QStringList &args);
    static int test(CliContext &ctx, const QStringList &args);
};
