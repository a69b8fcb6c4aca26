#pragma once

#include "catalog/StorageConfig.h"

#include <QStringList>

#include <optional>

class ArgParser;
class CliContext;

// lifeboatctl storage add|set|list|remove
class StorageCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);

private:
    static int add(CliContext &ctx, const QStringList &args);
    static int set(CliContext &ctx, const QStringList &args);
    static int list(CliContext &ctx, const QStringList &args);
    static int remove(CliContext &ctx, const QStringList &args);

    static void declareStorageClass(ArgParser &p);
    // --alert-free-below SIZE|N%|off (local storages; storage.low, ops/StorageLow).
    static void declareAlert(ArgParser &p);
    static std::optional<int> readAlert(CliContext &ctx, const ArgParser &p, lifeboat::StorageConfig *s);
    static std::optional<int> readStorageClass(CliContext &ctx, const ArgParser &p, lifeboat::StorageConfig *s);
};
