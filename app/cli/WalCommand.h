#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl wal push|fetch|status|receive: continuous WAL archiving into a profile's archive storages (issue 17).
class WalCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);

private:
    static int push(CliContext &ctx, const QStringList &args);
    static int fetch(CliContext &ctx, const QStringList &args);
    static int status(CliContext &ctx, const QStringList &args);
    static int receive(CliContext &ctx, const QStringList &args);
};
