#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl mirror add|list|remove|run|restore: bucket mirrors (an S3 source prefix copied into backup storage,
// incrementally by size + ETag) and putting a mirror run back into a bucket.
class MirrorCommand {
public:
    static int run(CliContext &ctx, const QStringList &args);

private:
    static int add(CliContext &ctx, const QStringList &args);
    static int list(CliContext &ctx, const QStringList &args);
    static int remove(CliContext &ctx, const QStringList &args);
    static int runMirror(CliContext &ctx, const QStringList &args);
    static int restore(CliContext &ctx, const QStringList &args);
};
