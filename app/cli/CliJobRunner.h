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
    // A reader of stdout/stderr that went away (`| head`, a closed ssh session) must not kill lifeboatctl mid-job,
    // mid-cleanup or before the record is finished: SIGPIPE is caught, so writes fail with EPIPE instead. Called
    // by main() before anything is written (start-up recovery prints too) and again by run().
    static void surviveLostReader();

private:
    CliContext &m_ctx;
    bool m_verbose;
};
