#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl secrets status | secrets use keychain|file|prompt|auto [--passphrase-env VAR]
class SecretsCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);
};
