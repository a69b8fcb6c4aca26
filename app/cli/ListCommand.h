#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl list [filters] | show ID
class ListCommand {
public:
    static int list(CliContext &ctx, const QStringList &args);
    static int show(CliContext &ctx, const QStringList &args);
};
