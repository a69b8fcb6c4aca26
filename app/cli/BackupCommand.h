#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl backup PROFILE …
class BackupCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);
};
