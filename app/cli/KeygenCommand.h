#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl keygen [--out FILE]: a new age identity, in the file format age-keygen writes.
class KeygenCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);
};
