#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl secrets status | secrets use keychain|file|prompt|auto [--passphrase-env VAR]
class SecretsCommand {
public:
    static QList<CliCommand> commands();
};
