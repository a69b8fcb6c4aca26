#pragma once

#include "catalog/Catalog.h"
#include "catalog/ConfigStore.h"
#include "core/CredentialStore.h"
#include "core/ExitCode.h"
#include "jobs/Job.h"
#include "jobs/JobProgress.h"
#include "notify/Notification.h"

#include <QString>

#include <functional>
#include <memory>

namespace lifeboat {

// What a use case (services/ops: one operation - backup, restore, verify, recover, mirror... - taken from the
// request as the user gave it to a job ready to run) receives from the front end that calls it. lifeboatctl and
// the desktop app fill it differently - secrets from stdin, the environment or the keychain vs the keychain read on
// a worker into a MemoryCredentialStore; notifications sent at once vs through the app - and the use case is the
// same for both.
struct UseCaseContext {
    std::shared_ptr<Catalog> catalog; // the job's catalog (the desktop app passes a PinnedCatalog)
    ConfigStore config{QString()};    // a copy of the settings in effect
    // Every secret a use case reads (profile passwords, S3 secret keys, Redis passwords, identities) comes through
    // this one interface. Null: none is known, libpq's own sources and the AWS chain apply.
    CredentialStore *secrets = nullptr;
    // Where the run's notifications go (outcome, stall); empty: nowhere.
    std::function<void(const Notification &)> notify;
    // Non-fatal problems the front end shows (lifeboatctl: "lifeboatctl: warning: ..." on stderr); empty: dropped.
    std::function<void(const QString &)> warn;
    // Whether the use case watches its job for stalls (settings stallMinutes / stallCancel): a stall goes to
    // `stalled` (lifeboatctl prints it) and to `notify` as job.stalled. The desktop app's JobListModel already
    // watches every job it tracks, so the app turns this off rather than watch twice.
    bool watchStalls = true;
    std::function<void(const QString &)> stalled;

    // The secret under `key`, empty when there is no store or it holds none.
    QString secret(const QString &key) const {
        if (!secrets)
            return {};
        return secrets->read(key).value_or(QString());
    }
    QString pgToolDir() const { return config.option(QStringLiteral("pgToolDir")); }
};

// A use case's answer: the job, built and checked, and what to do with its result (record --keep-days, notify...).
// The front end runs the job its own way (lifeboatctl blocking through CliJobRunner, the app through JobRunner) and
// then calls finished(result) on the thread that prepared it. `error` is set, and `job` null, when no job could be
// built (unknown profile, bad recipient, ...): nothing has been started or recorded then.
struct PreparedJob {
    std::unique_ptr<Job> job;
    std::function<void(const JobResult &)> finished;
    Error error;

    explicit operator bool() const { return job != nullptr; }
    static PreparedJob failed(ExitCode code, const QString &message) {
        PreparedJob p;
        p.error = {code, message};
        return p;
    }
};

} // namespace lifeboat
