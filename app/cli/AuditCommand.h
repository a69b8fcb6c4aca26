#pragma once

#include "CliCommand.h"

#include <QStringList>

class CliContext;

// lifeboatctl audit [--since D] [--user U] [--action A] [--limit N] [--json]: the catalog's audit trail, newest
// first — who backed up, restored, verified, downloaded, shared, deleted or pruned what, and who changed profiles,
// storages, schedules, notifiers and settings.
class AuditCommand {
public:
    static QList<CliCommand> commands();
};
