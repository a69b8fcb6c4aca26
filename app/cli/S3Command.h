#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl s3 ls STORAGE [PREFIX] | s3 get STORAGE KEY --to DIR | s3 presign STORAGE KEY [--expires SECONDS]
class S3Command {
public:
    static QList<CliCommand> commands();
};
