#pragma once

#include "CliCommand.h"

#include "core/ExitCode.h"
#include "crypto/AgeRecipient.h"
#include "jobs/BackupStore.h"
#include "jobs/JobProgress.h"

#include <QStringList>

#include <memory>
#include <vector>

class ArgParser;
class CliContext;

// lifeboatctl files add|list|remove|backup|restore|verify — directory sources. The static helpers are shared with
// `redis backup` (encryption options, --type, --compress, printing the result).
class FilesCommand {
public:
    static QList<CliCommand> commands();

    static CliOptions encryptionOptions(); // --recipient, --passphrase-stdin
    // --type (manual|daily|weekly|monthly) upper-cased into *type; returns an exit code (0: ok).
    static int parseType(CliContext &ctx, const ArgParser &p, QString *type);
    // --compress gzip|zstd|none[:LEVEL]; returns an exit code (0: ok).
    static int parseCompression(CliContext &ctx, const QString &spec, QString *codec, int *level);
    static int printBackupResult(CliContext &ctx, const lifeboat::JobResult &r);

private:
    static int add(CliContext &ctx, const ArgParser &p);
    static int list(CliContext &ctx, const ArgParser &p);
    static int remove(CliContext &ctx, const ArgParser &p);
    static int backup(CliContext &ctx, const ArgParser &p);
    static int restore(CliContext &ctx, const ArgParser &p, bool verifyOnly);
    static CliOptions verifyOptions();
};
