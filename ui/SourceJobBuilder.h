#pragma once

#include "schedule/DueRunner.h"

#include <QString>

#include <functional>
#include <memory>

class QObject;

namespace lifeboat {

class AppContext;
class Job;

// Builds the job of a directory, Redis, base backup or drill schedule for the desktop app: the secrets are read
// from the keychain on a worker (it may block on D-Bus or an unlock prompt), then the job is built on the GUI thread
// by DueRunner, exactly as lifeboatctl run-due builds it. Used by the tray runner and by the Schedules page's Run now.
class SourceJobBuilder {
public:
    using Done = std::function<void(std::unique_ptr<Job> job, const QString &error)>;
    // `context` guards the callback (not called once it is destroyed).
    static void build(AppContext *ctx, QObject *context, const DueRunner::Claim &claim, const QString &owner,
                      Done done);
};

} // namespace lifeboat
