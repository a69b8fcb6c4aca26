#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl download ID --to DIR | delete ID [--force]
class TransferCommand {
public:
    static int download(CliContext &ctx, const QStringList &args);
    static int remove(CliContext &ctx, const QStringList &args);
};
