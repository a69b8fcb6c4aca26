#pragma once

#include "CliCredentialStore.h"
#include "CliSecrets.h"

#include "ops/UseCaseContext.h"

#include <QString>

class CliContext;

// How lifeboatctl calls a use case (services/ops): the context it gives one (catalog, settings, its secrets as one
// CredentialStore, notifications sent at once with delivery problems as warnings, stalls printed) and running the
// prepared job blocking through CliJobRunner, then its finished().
class CliUseCase {
public:
    explicit CliUseCase(CliContext &ctx);

    // The profile's password (or any key) comes from stdin or the named environment variable instead of the store.
    void redirect(const QString &key, bool fromStdin, const QString &envVar) {
        m_store.redirect(key, fromStdin, envVar);
    }
    const lifeboat::UseCaseContext &context() const { return m_context; }
    // The secrets behind context().secrets, for what is not a use case yet.
    CliSecrets &secrets() { return m_secrets; }
    // Runs the job (progress on stderr, Ctrl-C cancels) and then prepared.finished(result).
    lifeboat::JobResult run(lifeboat::PreparedJob prepared, bool verbose);

private:
    CliContext &m_ctx;
    CliSecrets m_secrets;
    CliCredentialStore m_store;
    lifeboat::UseCaseContext m_context;
};
