#pragma once

#include "jobs/Job.h"

#include <memory>

class CliContext;

// Runs one job the same way the GUI does (JobRunner, worker thread, queued signals) inside the CLI's event loop:
// progress and log lines go to stderr, SIGINT/SIGTERM cancel the job (exit 5), the result comes back.
class CliJobRunner {
public:
    explicit CliJobRunner(CliContext &ctx, bool verbose = false);
    lifeboat::JobResult run(std::unique_ptr<lifeboat::Job> job);

private:
    CliContext &m_ctx;
    bool m_verbose;
};
