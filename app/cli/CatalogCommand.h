#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl catalog rebuild STORAGE: recreate catalog records from the manifests stored beside the artifacts
// (the workstation is gone; the bucket is not).
class CatalogCommand {
public:
    static QList<CliCommand> commands();
};
