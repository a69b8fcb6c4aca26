#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl mirror add|list|remove|run|restore: bucket mirrors (an S3 source prefix copied into backup storage,
// incrementally by size + ETag) and putting a mirror run back into a bucket.
class MirrorCommand {
public:
    static QList<CliCommand> commands();
};
