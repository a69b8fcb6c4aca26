#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl keys [list] | keys export [KEYID] | keys trust PUBKEY|FILE --label NAME | keys rotate: the manifest
// signing keys the catalog knows (docs/security.md, "Manifest signing").
class KeysCommand {
public:
    static QList<CliCommand> commands();
};
