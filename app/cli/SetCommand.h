#pragma once

#include "CliCommand.h"

#include "catalog/SetConfig.h"
#include "jobs/JobProgress.h"

#include <QDateTime>
#include <QStringList>

class CliContext;

// lifeboatctl set add|set|list|remove|backup|restore|prune|run-due: application backup sets (a database profile with
// its directories, bucket mirrors and Redis sources) captured under one set id, restored and retained as a whole.
class SetCommand {
public:
    static QList<CliCommand> commands();
    // Captures the set now (SetBackupJob) and notifies; the result details carry setId/status/members. An error
    // without a setId in the details means nothing ran (configuration refused).
    static lifeboat::JobResult capture(CliContext &ctx, const lifeboat::SetConfig &set, const QString &type,
                                       const QString &password, bool verbose, const QString &schedule,
                                       const QDateTime &startedUtc);
};
