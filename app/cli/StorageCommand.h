#pragma once

#include "CliCommand.h"

#include "catalog/StorageConfig.h"

#include <QStringList>

#include <optional>

class ArgParser;
class CliContext;

// lifeboatctl storage add|set|list|remove
class StorageCommand {
public:
    static QList<CliCommand> commands();

    // What storage add and set share: the options and reading them.
    static CliOptions storageClassOptions();
    // --alert-free-below SIZE|N%|off (local storages; storage.low, ops/StorageLow).
    static CliOptions alertOptions();
    static std::optional<int> readAlert(CliContext &ctx, const ArgParser &p, lifeboat::StorageConfig *s);
    static std::optional<int> readStorageClass(CliContext &ctx, const ArgParser &p, lifeboat::StorageConfig *s);
};
