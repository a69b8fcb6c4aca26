#include "CliUseCase.h"

#include "CliContext.h"
#include "CliJobRunner.h"

#include "ops/Notify.h"

using namespace lifeboat;

CliUseCase::CliUseCase(CliContext &ctx)
    : m_ctx(ctx)
    , m_secrets(ctx)
    , m_store(m_secrets) {
    m_context.catalog = ctx.catalog();
    m_context.config = ctx.config();
    m_context.secrets = &m_store;
    m_context.warn = [&ctx](const QString &m) { ctx.err() << "lifeboatctl: warning: " << m << Qt::endl; };
    m_context.stalled = [&ctx](const QString &m) { ctx.err() << "lifeboatctl: stalled: " << m << Qt::endl; };
    // Delivery problems are warnings, never a failed command.
    m_context.notify = [&ctx, store = &m_store](const Notification &n) {
        for (const QString &p : Notify::send(*ctx.catalog(), store, n))
            ctx.err() << "lifeboatctl: warning: notification not delivered: " << p << Qt::endl;
    };
}

JobResult CliUseCase::run(PreparedJob prepared, bool verbose) {
    const JobResult r = CliJobRunner(m_ctx, verbose).run(std::move(prepared.job));
    if (prepared.finished)
        prepared.finished(r);
    return r;
}
