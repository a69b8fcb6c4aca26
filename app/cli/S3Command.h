#pragma once

#include <QStringList>

class CliContext;

// lifeboatctl s3 ls STORAGE [PREFIX] | s3 get STORAGE KEY --to DIR | s3 presign STORAGE KEY [--expires SECONDS]
class S3Command {
public:
    static int run(CliContext &ctx, const QStringList &args);

private:
    static int ls(CliContext &ctx, const QStringList &args);
    static int get(CliContext &ctx, const QStringList &args);
    static int presign(CliContext &ctx, const QStringList &args);
};
