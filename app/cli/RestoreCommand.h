#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl restore ID|FILE --target PROFILE|URI --target-db NAME …
class RestoreCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);
};
