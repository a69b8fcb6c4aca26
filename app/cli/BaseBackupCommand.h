#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl basebackup PROFILE — a physical base backup of the profile's whole cluster (point-in-time recovery).
class BaseBackupCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);
};
