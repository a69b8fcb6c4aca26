#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl verify ID|FILE [--report PATH.json|PATH.html] [--target PROFILE|URI] [--identity FILE]
class VerifyCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);
};
